// Signs in through the real pages in headless Chromium, in English and French,
// at phone and desktop sizes, and keeps screenshots in ./screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const binary = process.env.PARVIS_BIN || join(root, "target", "debug", "parvis");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(here, "screenshots");

let server;
let baseUrl;
let demoPassword;
let browser;
let dataDir;

function startParvis() {
  return new Promise((resolve, reject) => {
    dataDir = mkdtempSync(join(tmpdir(), "parvis-browser-"));
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("PARVIS_")) delete env[k];
    env.PARVIS_LOG = "warn";
    const child = spawn(binary, ["--data-dir", dataDir, "serve", "--demo", "--listen", "127.0.0.1:0"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("parvis did not start:\n" + out)), 60000);
    child.stdout.on("data", (chunk) => {
      out += chunk.toString();
      const port = out.match(/Parvis is serving https:\/\/localhost:(\d+)\//);
      const pw = out.match(/password for all: ([a-z0-9-]+)\)/);
      if (port && pw) {
        clearTimeout(timer);
        resolve({ child, url: `https://localhost:${port[1]}`, password: pw[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`parvis exited with ${code}:\n${out}`)));
  });
}

before(async () => {
  if (!existsSync(chromiumPath)) {
    if (process.env.CI) throw new Error(`Chromium not found at ${chromiumPath}`);
    console.log(`# skipping browser tests: no Chromium at ${chromiumPath}`);
    return;
  }
  mkdirSync(shots, { recursive: true });
  const started = await startParvis();
  server = started.child;
  baseUrl = started.url;
  demoPassword = started.password;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

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
