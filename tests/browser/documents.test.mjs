// Uploads through the library page in headless Chromium: several files at
// once, each with its own progress bar, a refused name reported on its line.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots } from "./harness.mjs";

let env, server, baseUrl, demoPassword, adminOneTime, browser;

before(async () => {
  env = await setup();
  if (env) ({ server, baseUrl, demoPassword, adminOneTime, browser } = env);
});

after(() => teardown(env));

async function signedIn(email, viewport) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "en-GB", viewport });
  const page = await context.newPage();
  await page.goto(baseUrl + "/signin");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(demoPassword);
  await page.locator("button[type=submit].primary").click();
  await page.waitForURL(baseUrl + "/");
  return { context, page };
}

test("several files upload at once with progress, and a refused name says why", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page } = await signedIn("sofia.almeida@lumen.example", { width: 1280, height: 900 });
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
  assert.equal(await page.locator("#dropzone").isVisible(), true, "the drop zone appears with JavaScript");
  await page.setInputFiles("#files", [
    { name: "Plan d'implantation.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 " + "x".repeat(200000)) },
    { name: "notes réunion.txt", mimeType: "text/plain", buffer: Buffer.from("Réunion du lundi") },
  ]);
  await Promise.all([page.waitForEvent("load"), page.locator("#upload-form button[type=submit]").click()]);
  await page.waitForSelector("text=notes réunion.txt");
  assert.equal(await page.locator("table.files a", { hasText: "Plan d'implantation.pdf" }).count(), 1);
  await page.screenshot({ path: join(shots, "library-en-desktop.png"), fullPage: true });

  // A name Windows reserves is refused on its own line; nothing reloads.
  await page.setInputFiles("#files", [{ name: "CON.txt", mimeType: "text/plain", buffer: Buffer.from("x") }]);
  await page.locator("#upload-form button[type=submit]").click();
  await page.waitForSelector(".upload-failed");
  assert.match(await page.locator(".upload-failed").textContent(), /reserved by Windows/);
  await page.screenshot({ path: join(shots, "library-upload-error-en.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
