// Uploads through the library page in headless Chromium: several files at
// once, each with its own progress bar, a refused name reported on its line.
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
