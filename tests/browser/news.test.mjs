// News in headless Chromium against the demo: an employee sees the code of
// conduct to acknowledge on her home, reads it and acknowledges it; the
// communicator writes news for all clients through the form (nothing is
// chosen for her), and a client reads it on the portal's home while an
// employee does not see it. Screenshots in English and French, on a phone
// and a desktop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn, chooseLanguage, viewports } from "./harness.mjs";

let env, baseUrl;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl } = env);
});

after(() => teardown(env));

const CONDUCT = "Updated code of conduct";

test("an announcement waits on the home page until it is acknowledged", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/");
      await chooseLanguage(page, lang);
      const waiting = page.locator(".home-news .to-ack a", { hasText: CONDUCT });
      assert.equal(await waiting.count(), 1, "the announcement waits on the home page");
      await page.screenshot({ path: join(shots, `news-home-${lang}-${size}.png`), fullPage: true });
      await page.goto(baseUrl + "/news");
      await page.screenshot({ path: join(shots, `news-feed-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
  // She reads it and acknowledges it; it no longer waits.
  const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewports.desktop);
  await page.goto(baseUrl + "/news");
  await chooseLanguage(page, "en");
  await Promise.all([page.waitForEvent("load"), page.locator(".to-ack a", { hasText: CONDUCT }).first().click()]);
  await page.screenshot({ path: join(shots, "news-post-to-acknowledge-en-desktop.png"), fullPage: true });
  await Promise.all([page.waitForEvent("load"), page.locator('form[action$="/acknowledge"] button').click()]);
  assert.match(page.url(), /notice=acknowledged/);
  assert.match(await page.locator("#ack-box + p").textContent(), /You acknowledged this text on/);
  await page.goto(baseUrl + "/");
  assert.equal(await page.locator(".home-news .to-ack").count(), 0);
  await context.close();
});

test("the communicator writes to all clients; a client reads it, an employee does not", async (t) => {
  if (!env) return t.skip("no Chromium");
  const title = "Warehouse visit days in March";
  const { context, page } = await signedIn(env, "emma.laurent@lumen.example", viewports.desktop);
  await page.goto(baseUrl + "/news/new");
  // Nothing is chosen for her: no place, no audience, no way to publish.
  assert.equal(await page.locator("#place").inputValue(), "");
  assert.equal(await page.locator('input[name="audience"]:checked').count(), 0);
  assert.equal(await page.locator('input[name="publish"]:checked').count(), 0);
  await page.locator("#title").fill(title);
  await page.locator("#body").fill("Come and see the **robot cell** at work. <script>alert(1)</script>");
  await page.locator("#place").selectOption("instance");
  await page.locator('input[name="publish"][value="now"]').check();
  // Without an audience: refused, in her words, and nothing is published.
  await Promise.all([page.waitForEvent("load"), page.locator(".news-form button[type=submit]").click()]);
  assert.match(await page.locator("#form-error").textContent(), /at least one audience/);
  assert.equal(await page.locator("#title").inputValue(), title, "what she typed is kept");
  await page.screenshot({ path: join(shots, "news-form-refused-en-desktop.png"), fullPage: true });
  await page.locator('input[name="audience"][value="org_kind:client"]').check();
  await page.locator('input[name="publish"][value="now"]').check();
  await Promise.all([page.waitForEvent("load"), page.locator(".news-form button[type=submit]").click()]);
  assert.match(page.url(), /\/news\/\d+\?notice=saved$/);
  assert.equal(await page.locator("h1").textContent(), title);
  assert.equal(await page.locator(".markdown strong").textContent(), "robot cell");
  assert.equal(await page.locator(".markdown script").count(), 0);
  const url = page.url().replace(/\?.*$/, "");
  await context.close();

  for (const [size, viewport] of Object.entries(viewports)) {
    const client = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    for (const lang of ["en", "fr"]) {
      await client.page.goto(baseUrl + "/");
      await chooseLanguage(client.page, lang);
      assert.equal(await client.page.locator(".home-news a", { hasText: title }).count(), 1);
      await client.page.screenshot({ path: join(shots, `news-client-home-${lang}-${size}.png`), fullPage: true });
    }
    await client.context.close();
  }
  const employee = await signedIn(env, "hugo.petit@lumen.example", viewports.desktop);
  const res = await employee.page.goto(url);
  assert.equal(res.status(), 404);
  await employee.page.goto(baseUrl + "/news");
  assert.equal(await employee.page.locator(".news-item a", { hasText: title }).count(), 0);
  assert.ok((await employee.page.locator(".news-item").count()) > 0, "his feed shows his own news");
  await employee.context.close();
});
