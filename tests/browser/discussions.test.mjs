// Discussions in headless Chromium against the demo: the supplier reads
// its question with the accepted answer first; an employee quotes a reply
// and answers through the form; the client asks a question in its project
// space. Screenshots in English and French, on a phone and a desktop.
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

const QUESTION = "Which format for material certificates";

test("the supplier reads its question with the accepted answer first", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "marc.verdier@verdier.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/spaces/verdier-supply-quality");
      await chooseLanguage(page, lang);
      await Promise.all([page.waitForEvent("load"), page.locator('a[href="/spaces/verdier-supply-quality/discussions"]').click()]);
      await page.screenshot({ path: join(shots, `discussions-forums-${lang}-${size}.png`), fullPage: true });
      await Promise.all([page.waitForEvent("load"), page.locator(".forum-list a").first().click()]);
      await page.screenshot({ path: join(shots, `discussions-forum-${lang}-${size}.png`), fullPage: true });
      await Promise.all([page.waitForEvent("load"), page.locator(".topic-list a", { hasText: QUESTION }).click()]);
      const first = page.locator("article.post").first();
      assert.match(await first.getAttribute("class"), /accepted/, "the accepted answer comes first");
      assert.match(await first.textContent(), /per heat number/);
      await page.screenshot({ path: join(shots, `discussions-topic-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
});

test("an employee quotes a reply and answers; the client asks in its space", async (t) => {
  if (!env) return t.skip("no Chromium");
  const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewports.desktop);
  await page.goto(baseUrl + "/spaces/verdier-supply-quality/discussions");
  await chooseLanguage(page, "en");
  await Promise.all([page.waitForEvent("load"), page.locator(".forum-list a").first().click()]);
  await Promise.all([page.waitForEvent("load"), page.locator(".topic-list a", { hasText: "alternative surface treatment" }).click()]);
  const topicUrl = page.url();
  await Promise.all([page.waitForEvent("load"), page.locator('a[href$="?quote=topic#reply-form"]').click()]);
  const quoted = await page.locator("#reply-body").inputValue();
  assert.match(quoted, /^> Chloé Roux wrote:/, "the quote names its writer");
  // Typing @ and a name offers the people to mention.
  await page.locator("#reply-body").fill(quoted);
  await page.locator("#reply-body").press("End");
  await page.locator("#reply-body").pressSequentially("@chl");
  const option = page.locator(".mention-option", { hasText: "Chloé Roux" });
  await option.waitFor();
  await page.screenshot({ path: join(shots, "discussions-mention-en-desktop.png") });
  await option.click();
  assert.match(await page.locator("#reply-body").inputValue(), /@\[Chloé Roux\]\(mention:\d+\) $/);
  await page.locator("#reply-body").pressSequentially("yes for week 12, with a salt-spray report on the first batch.");
  await Promise.all([page.waitForEvent("load"), page.locator('#reply-form button[type="submit"]').click()]);
  assert.ok(page.url().startsWith(topicUrl.split("#")[0]));
  const last = page.locator("article.post").last();
  assert.match(await last.textContent(), /salt-spray report/);
  assert.equal(await last.locator("blockquote").count(), 1, "the quote shows as a quote");
  assert.equal(await last.locator('a[href^="/people/"]', { hasText: "Chloé Roux" }).count(), 1, "the mention links to her");
  await page.screenshot({ path: join(shots, "discussions-reply-quoted-en-desktop.png"), fullPage: true });
  await context.close();

  // The client asks; nothing is chosen for her but what she types.
  const client = await signedIn(env, "ingrid.solberg@nordhavn.example", viewports.phone);
  await client.page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/discussions");
  await chooseLanguage(client.page, "fr");
  await Promise.all([client.page.waitForEvent("load"), client.page.locator(".forum-list a").first().click()]);
  await Promise.all([client.page.waitForEvent("load"), client.page.locator('a[href$="/new"]').click()]);
  await client.page.locator("#post-title").fill("Formation des opérateurs");
  await client.page.locator("#post-body").fill("Quand pouvons-nous former l’équipe de nuit ?");
  await Promise.all([client.page.waitForEvent("load"), client.page.locator('main button[type="submit"]').click()]);
  assert.match(client.page.url(), /\/topics\/\d+$/);
  assert.equal(await client.page.locator("h1").textContent(), "Formation des opérateurs");
  await client.page.screenshot({ path: join(shots, "discussions-asked-fr-phone.png"), fullPage: true });
  await client.context.close();
});
