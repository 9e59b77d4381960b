// Requests in headless Chromium against the demo: the client follows her
// urgent ticket and files a new one from the space; the agent sees the
// internal note and the customer's view of the same request. Screenshots
// in English and French, on a phone and a desktop.
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

async function openTicket(page) {
  await page.goto(baseUrl + "/requests");
  const row = page.locator("main table tr", { hasText: "Scanner at dock 3" });
  await Promise.all([page.waitForEvent("load"), row.locator("a").first().click()]);
}

test("the client follows her ticket and files a new one; the agent works on it", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/requests");
      await chooseLanguage(page, lang);
      await page.screenshot({ path: join(shots, `requests-list-${lang}-${size}.png`), fullPage: true });
      await page.goto(baseUrl + "/requests/dashboard");
      assert.equal(await page.locator("svg.chart").count(), 3, "by type, by month, ratings");
      // The demo's training ticket was rated 5 by Ingrid.
      assert.match(await page.locator("main").textContent(), /5[.,]0 \/ 5/, "the average rating");
      await page.screenshot({ path: join(shots, `requests-dashboard-${lang}-${size}.png`), fullPage: true });
      await openTicket(page);
      const text = await page.locator("main").textContent();
      assert.match(text, /Scanner at dock 3/);
      assert.doesNotMatch(text, /roaming bug|Root cause|Cause première/, "no internal note or field");
      await page.screenshot({ path: join(shots, `request-client-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
  // Filing from the space, with a choice and an amount-free form.
  const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewports.desktop);
  await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/requests/new");
  await chooseLanguage(page, "en");
  await Promise.all([page.waitForEvent("load"), page.locator("main a", { hasText: "Support ticket" }).click()]);
  // While the title is typed, what she may already read that answers it.
  await page.locator("#title").pressSequentially("conveyor specification", { delay: 10 });
  const answers = page.locator("#request-answers");
  await answers.waitFor({ state: "visible", timeout: 5000 });
  assert.match(await answers.textContent(), /Conveyor specification/);
  await page.screenshot({ path: join(shots, "request-new-answers-en-desktop.png"), fullPage: true });
  await page.locator("#title").fill("Label printer offline");
  await page.locator('select[name="f.area"]').selectOption("Hardware");
  await page.locator('input[name="f.site"]').fill("Aarhus, dock 1");
  await page.screenshot({ path: join(shots, "request-new-en-desktop.png"), fullPage: true });
  await Promise.all([page.waitForEvent("load"), page.locator("main form button[type=submit]").click()]);
  assert.match(page.url(), /\/requests\/\d+\?notice=filed$/);
  assert.match(await page.locator("h1").textContent(), /SUP-\d{4}-\d{5} · Label printer offline/);
  await context.close();
  // The agent: the note, and the customer's view without it.
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "sofia.almeida@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/requests");
      await chooseLanguage(page, lang);
      await openTicket(page);
      assert.match(await page.locator("main").textContent(), /roaming bug/);
      await page.screenshot({ path: join(shots, `request-agent-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
  {
    const { context, page } = await signedIn(env, "sofia.almeida@lumen.example", viewports.desktop);
    await page.goto(baseUrl + "/requests");
    await chooseLanguage(page, "en");
    await openTicket(page);
    await Promise.all([page.waitForEvent("load"), page.locator("main a", { hasText: "See as the customer" }).click()]);
    assert.doesNotMatch(await page.locator("main").textContent(), /roaming bug/);
    await context.close();
  }
});

test("the client's page says when the agent answered, live", async (t) => {
  if (!env) return t.skip("no Chromium");
  const client = await signedIn(env, "ingrid.solberg@nordhavn.example", viewports.desktop);
  const agent = await signedIn(env, "sofia.almeida@lumen.example", viewports.desktop);
  await client.page.goto(baseUrl + "/requests");
  await chooseLanguage(client.page, "en");
  await openTicket(client.page);
  const notice = client.page.locator(".live-notice");
  assert.equal(await notice.isVisible(), false, "nothing to say yet");
  await client.page.waitForSelector("[data-live-ready]", { state: "attached" });
  await openTicket(agent.page);
  await agent.page.locator("#reply-body").fill("It dropped at 14:02: the access point log confirms it.");
  await Promise.all([agent.page.waitForEvent("load"), agent.page.locator('form[action*="/reply?"] button[type=submit]').click()]);
  await notice.waitFor({ state: "visible", timeout: 5000 });
  assert.match(await notice.textContent(), /This request changed/);
  await client.page.screenshot({ path: join(shots, "request-live-en-desktop.png") });
  await Promise.all([client.page.waitForEvent("load"), notice.locator("a").click()]);
  assert.match(await client.page.locator("main").textContent(), /access point log confirms/);
  await client.context.close();
  await agent.context.close();
});

test("an order carries its invoice; the agent's list has views and a bulk form; a CSV is checked", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const client = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    const agent = await signedIn(env, "sofia.almeida@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      const { page } = client;
      await page.goto(baseUrl + "/requests");
      await chooseLanguage(page, lang);
      const row = page.locator("main table tr", { hasText: "Conveyor spare parts" });
      await Promise.all([page.waitForEvent("load"), row.locator("a").first().click()]);
      const invoice = page.locator("main .attachments a", { hasText: "Invoice PO-88412.pdf" });
      assert.equal(await invoice.count(), 1, "the invoice is attached");
      await page.screenshot({ path: join(shots, `request-order-files-${lang}-${size}.png`), fullPage: true });
      const [download] = await Promise.all([page.waitForEvent("download"), invoice.click()]);
      assert.equal(download.suggestedFilename(), "Invoice PO-88412.pdf");

      await agent.page.goto(baseUrl + "/requests?open=true");
      await chooseLanguage(agent.page, lang);
      assert.equal(await agent.page.locator("#bulk-form").count(), 1, "agents have the bulk form");
      assert.ok(await agent.page.locator('main table input[type=checkbox][name="ids"]').count() > 0);
      await agent.page.screenshot({ path: join(shots, `requests-agent-list-${lang}-${size}.png`), fullPage: true });
      await agent.page.goto(baseUrl + "/requests/import");
      await agent.page.screenshot({ path: join(shots, `requests-import-${lang}-${size}.png`), fullPage: true });
    }
    await client.context.close();
    await agent.context.close();
  }
});
