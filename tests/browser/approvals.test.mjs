// Approval flows in headless Chromium, on the demo: Amina finds Verdier's
// certificate waiting for her quality check and approves it; the Zone A
// layout shows its approved flow with the signed record to download, in
// English and French, on a desktop and a phone. Screenshots go to ./screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn, chooseLanguage, viewports } from "./harness.mjs";

let env, baseUrl, browser;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl, browser } = env);
});

after(() => teardown(env));

test("the quality check finds the certificate waiting and approves it", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page } = await signedIn(env, "amina.diallo@lumen.example", viewports.desktop);
  await page.goto(baseUrl + "/approvals");
  await chooseLanguage(page, "en");
  assert.equal(await page.locator("h1").textContent(), "Waiting for my approval");
  const row = page.locator("main table tbody tr", { hasText: "ISO 9001 certificate 2026.pdf" });
  assert.equal(await row.count(), 1, "the certificate waits for her");
  await page.screenshot({ path: join(shots, "approvals-waiting-en-desktop.png"), fullPage: true });
  await row.locator("a").click();
  await page.waitForURL(/\/files\/\d+\/approvals$/);
  await page.locator("main textarea[name=comment]").fill("Certificate valid until 2029, scope matches.");
  await page.screenshot({ path: join(shots, "approvals-decide-en-desktop.png"), fullPage: true });
  await page.locator("main button[value=approve]").click();
  await page.waitForURL(/notice=decided/);
  const text = await page.locator("main").textContent();
  assert.match(text, /Your decision is recorded/);
  assert.match(text, /step 2 \/ 2: Quality manager/);
  assert.equal(await page.locator("main button[value=approve]").count(), 0, "she decided: no form");
  await context.close();
});

test("an approved deliverable shows its flow and its signed record", async (t) => {
  if (!browser) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
      await chooseLanguage(page, lang);
      await page.locator("main a", { hasText: "Plans" }).first().click();
      await page.locator("main a", { hasText: "Zone A layout.png" }).first().click();
      await page.locator("main a[href$='/approvals']").click();
      await page.waitForURL(/\/files\/\d+\/approvals$/);
      const text = await page.locator("main").textContent();
      assert.match(text, lang === "en" ? /Approved/ : /Validé/);
      assert.match(text, /Validated for Nordhavn/);
      const record = page.locator("main a[href$='/record']");
      assert.equal(await record.count(), 1, "the signed record");
      if (lang === "en" && size === "desktop") {
        const res = await page.request.get(baseUrl + (await record.getAttribute("href")));
        assert.equal(res.status(), 200);
        const body = await res.json();
        assert.equal(body.format, "parvis-approval-record/1");
        assert.equal(body.signature.algorithm, "Ed25519");
        assert.doesNotMatch(JSON.stringify(body), /Ingrid|Solberg|@nordhavn/, "a record names pseudonyms");
      }
      await page.screenshot({ path: join(shots, `approvals-record-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
});
