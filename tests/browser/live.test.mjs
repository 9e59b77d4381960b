// Live changes in headless Chromium against the demo: while the project
// manager looks at the space's library, a colleague uploads a file; her page
// says the space changed and shows it on a click, without a reload before
// that. The colleague's own page says nothing of his own upload. Screenshots
// in English and French, on a phone and a desktop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn as signedInAs, chooseLanguage, viewports, uploadThroughForm } from "./harness.mjs";

let env, baseUrl;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl } = env);
});

after(() => teardown(env));

const LIBRARY = "/spaces/nordhavn-warehouse-automation/files";
const texts = {
  en: "This space changed since you opened the page.",
  fr: "Cet espace a changé depuis l’ouverture de la page.",
};

test("a space's page says when a colleague changed it, and not when you did", async (t) => {
  if (!env) return t.skip("no Chromium");
  const other = await signedInAs(env, "julien.moreau@lumen.example", viewports.desktop);
  let n = 0;
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedInAs(env, "sofia.almeida@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + LIBRARY);
      await chooseLanguage(page, lang);
      const notice = page.locator(".live-notice");
      assert.equal(await notice.isVisible(), false, "nothing to say yet");
      // The stream is open once the page has its position.
      await page.waitForSelector("[data-live-ready]", { state: "attached" });
      await other.page.goto(baseUrl + LIBRARY);
      n += 1;
      const name = `live-${lang}-${size}-${n}.txt`;
      await other.page.setInputFiles("#files", [{ name, mimeType: "text/plain", buffer: Buffer.from("new") }]);
      await uploadThroughForm(env, other.page);
      await other.page.waitForSelector(`text=${name}`);
      // Told within seconds, in her language; the list is still as loaded.
      await notice.waitFor({ state: "visible", timeout: 5000 });
      assert.match(await notice.textContent(), new RegExp(texts[lang].replace(/[.]/g, "\\.")));
      assert.equal(await page.locator("table.files a", { hasText: name }).count(), 0);
      await page.screenshot({ path: join(shots, `live-notice-${lang}-${size}.png`), fullPage: true });
      await Promise.all([page.waitForEvent("load"), notice.locator("a").click()]);
      assert.equal(await page.locator("table.files a", { hasText: name }).count(), 1);
    }
    await chooseLanguage(page, "en");
    await context.close();
  }
  // The uploader's own page said nothing of his upload.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await other.page.locator(".live-notice").isVisible(), false);
  await other.context.close();
});

test("the bell counts unread notifications and the list names what happened", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedInAs(env, "sofia.almeida@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/");
      await chooseLanguage(page, lang);
      // The client's new version of Sofia's meeting notes, in the demo.
      const count = page.locator(".bell [data-unread]");
      await count.waitFor({ state: "visible", timeout: 5000 });
      assert.match(await count.textContent(), /^[1-9]\d*$/);
      await page.locator(".bell").click();
      await page.waitForURL(baseUrl + "/notifications");
      const items = await page.locator("ol.notifications li").allTextContents();
      const said = lang === "fr" ? "a ajouté une nouvelle version de" : "added a new version of";
      assert.ok(items.some((l) => l.includes("Ingrid Solberg") && l.includes(said)), items.join("\n"));
      await page.screenshot({ path: join(shots, `notifications-${lang}-${size}.png`), fullPage: true });
    }
    await chooseLanguage(page, "en");
    await context.close();
  }
});
