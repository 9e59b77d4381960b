// Notification settings in headless Chromium against the demo: an employee
// goes from her notifications to their settings, asks for news in a daily
// e-mail and mutes a space, and finds her choices kept. Screenshots in
// English and French, on a phone and a desktop.
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


test("an employee chooses how she is told, and her choices are kept", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/notifications");
      await chooseLanguage(page, lang);
      await Promise.all([page.waitForEvent("load"), page.locator('a[href="/notifications/preferences"]').click()]);
      assert.equal(await page.locator("select#topic-news").count(), 1);
      assert.ok((await page.locator('select[id^="space-"]').count()) >= 1, "her spaces are listed");
      await page.screenshot({ path: join(shots, `notification-settings-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
  const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewports.desktop);
  await page.goto(baseUrl + "/notifications/preferences");
  await chooseLanguage(page, "en");
  // Nothing is chosen for her beyond the defaults the page names.
  assert.equal(await page.locator("select#topic-news").inputValue(), "app");
  assert.equal(await page.locator("select#topic-acknowledgements").inputValue(), "immediately");
  const space = page.locator('select[id^="space-"]').first();
  const spaceId = await space.getAttribute("id");
  await page.locator("select#topic-news").selectOption("daily");
  await space.selectOption("mute");
  await Promise.all([page.waitForEvent("load"), page.locator('main button[type="submit"]').last().click()]);
  assert.match(page.url(), /notice=saved/);
  assert.match(await page.locator(".notice").textContent(), /were saved/);
  assert.equal(await page.locator("select#topic-news").inputValue(), "daily");
  assert.equal(await page.locator(`select#${spaceId}`).inputValue(), "mute");
  await page.screenshot({ path: join(shots, "notification-settings-saved-en-desktop.png"), fullPage: true });
  await context.close();
});
