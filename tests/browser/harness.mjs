// What every browser test needs: the real `parvis serve --demo` on a free
// port over a temporary data directory, and Debian's Chromium driven by
// playwright-core. Without Chromium the tests skip, except in CI where that is
// an error.
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
export const shots = join(here, "screenshots");
export const ADMIN_EMAIL = "admin@parvis.local";
/// The two sizes every page is looked at: a phone and a desktop.
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
};

function startParvis(dataDir) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("PARVIS_")) delete env[k];
    // Mail is logged, not sent: the tests read what a person would receive.
    env.PARVIS_LOG = "warn,parvis::mail=info";
    const child = spawn(binary, ["--data-dir", dataDir, "serve", "--demo", "--listen", "127.0.0.1:0"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.log = "";
    child.stderr.on("data", (chunk) => {
      const text = chunk.toString();
      child.log += text;
      if (!text.includes("mail (log mode")) process.stderr.write(text);
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("parvis did not start:\n" + out)), 60000);
    child.stdout.on("data", (chunk) => {
      out += chunk.toString();
      const port = out.match(/Parvis is serving https:\/\/localhost:(\d+)\//);
      const admin = out.match(/First administrator: (\S+)\s+One-time password:\s+([a-z0-9-]+)/);
      const pw = out.match(/password for all: ([a-z0-9-]+)\)/);
      if (port && admin && pw) {
        clearTimeout(timer);
        assert.equal(admin[1], ADMIN_EMAIL);
        resolve({ child, url: `https://localhost:${port[1]}`, password: pw[1], oneTime: admin[2] });
      }
    });
    child.on("exit", (code) => reject(new Error(`parvis exited with ${code}:\n${out}`)));
  });
}

/// Starts the server and the browser; `null` when there is no Chromium (outside CI).
export async function setup() {
  if (!existsSync(chromiumPath)) {
    if (process.env.CI) throw new Error(`Chromium not found at ${chromiumPath}`);
    console.log(`# skipping browser tests: no Chromium at ${chromiumPath}`);
    return null;
  }
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "parvis-browser-"));
  const started = await startParvis(dataDir);
  const browser = await chromium.launch({
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
  return {
    server: started.child,
    baseUrl: started.url,
    demoPassword: started.password,
    adminOneTime: started.oneTime,
    browser,
    dataDir,
  };
}

/// The first match of `pattern` in what the server has mailed (logged),
/// waiting for it up to 15 s.
export async function mailed(env, pattern) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const m = env.server.log.match(pattern);
    if (m) return m;
    assert.ok(Date.now() < deadline, `no mail matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function teardown(env) {
  if (!env) return;
  await env.browser.close();
  env.server.kill("SIGTERM");
  await new Promise((r) => env.server.once("exit", r));
  rmSync(env.dataDir, { recursive: true, force: true });
}

/// A new browser context signed in as `email` through the real form (the
/// demo's shared password), on the page it lands on.
export async function signedIn(env, email, viewport, locale = "en-GB") {
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true, locale, viewport });
  const page = await context.newPage();
  await page.goto(env.baseUrl + "/signin");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(env.demoPassword);
  await page.locator("button[type=submit].primary").click();
  await page.waitForURL(env.baseUrl + "/");
  return { context, page };
}

/// A person's saved language wins over the browser's: choose it with the
/// header's switch, as a person would.
export async function chooseLanguage(page, lang) {
  await Promise.all([page.waitForEvent("load"), page.locator(`form.lang-switch button[value="${lang}"]`).click()]);
  assert.equal(await page.locator("html").getAttribute("lang"), lang);
}

/// Sends the library's upload form and waits for the page to reload with the
/// files. When an upload is refused or never answers, the error says which:
/// the line the page wrote, or the server's last log lines.
export async function uploadThroughForm(env, page, timeout = 60000) {
  const reloaded = page.waitForEvent("load", { timeout }).then(() => null);
  const refused = page
    .waitForSelector("#upload-list .upload-failed", { timeout })
    .then(async (item) => `the page refused the upload: ${await item.textContent()}`);
  await page.locator("#upload-form button[type=submit]").click();
  const failure = await Promise.race([reloaded, refused]).catch((e) => `${e.message}\nserver log:\n${env.server.log.slice(-3000)}`);
  if (failure) throw new Error(failure);
}
