// Signs in through the real pages in headless Chromium, in English and French,
// at phone and desktop sizes, and keeps screenshots in ./screenshots/.
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

const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

async function journey({ email, locale, viewport, expectHeading, expectSignin, name }) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale,
    viewport: viewports[viewport],
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    // The deliberate wrong password answers 401; Chromium reports that as a failed load.
    if (m.type() === "error" && !m.text().includes("status of 401")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));

  await page.goto(baseUrl + "/");
  assert.match(page.url(), /\/signin\?next=%2F$/);
  assert.equal(await page.locator("h1").textContent(), expectSignin);
  await page.screenshot({ path: join(shots, `${name}-signin.png`), fullPage: true });

  // A wrong password first: the error is shown and announced.
  await page.getByLabel(locale.startsWith("fr") ? "Adresse e-mail" : "E-mail address").fill(email);
  await page.locator("#password").fill("definitely not the password");
  await page.locator("button[type=submit].primary").click();
  await page.waitForLoadState();
  assert.equal(await page.locator("[role=alert]").count(), 1);
  await page.screenshot({ path: join(shots, `${name}-signin-error.png`), fullPage: true });

  await page.locator("#password").fill(demoPassword);
  await page.locator("button[type=submit].primary").click();
  await page.waitForURL(baseUrl + "/");
  assert.match(await page.locator("h1").textContent(), expectHeading);
  await page.screenshot({ path: join(shots, `${name}-home.png`), fullPage: true });

  await page.goto(baseUrl + "/people");
  await page.screenshot({ path: join(shots, `${name}-people.png`), fullPage: true });

  // The keyboard reaches the skip link first.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");

  assert.deepEqual(problems, [], "no console errors (a CSP violation would show here)");
  await context.close();
}

test("an internal person signs in on a desktop, in French", async (t) => {
  if (!browser) return t.skip("no Chromium");
  await journey({
    email: "claire.martin@lumen.example",
    locale: "fr-FR",
    viewport: "desktop",
    expectSignin: "Connexion",
    expectHeading: /^Bonjour Claire/,
    name: "fr-desktop",
  });
});

test("a client signs in on a phone, in English", async (t) => {
  if (!browser) return t.skip("no Chromium");
  await journey({
    email: "ingrid.solberg@nordhavn.example",
    locale: "en-GB",
    viewport: "phone",
    expectSignin: "Sign in",
    expectHeading: /^Hello Ingrid/,
    name: "en-phone",
  });
});

test("an internal person on a phone in French, a client on a desktop in English", async (t) => {
  if (!browser) return t.skip("no Chromium");
  await journey({
    email: "julien.moreau@lumen.example",
    locale: "fr-FR",
    viewport: "phone",
    expectSignin: "Connexion",
    expectHeading: /^Bonjour Julien/,
    name: "fr-phone",
  });
  await journey({
    email: "erik.lund@nordhavn.example",
    locale: "en-US",
    viewport: "desktop",
    expectSignin: "Sign in",
    expectHeading: /^Hello Erik/,
    name: "en-desktop",
  });
});
