// Registers a passkey on the security page and signs in with it, in headless
// Chromium with a virtual WebAuthn authenticator (Chrome DevTools Protocol),
// in English and French, at desktop and phone sizes. Screenshots go to
// ./screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots } from "./harness.mjs";
import { generateKeyPairSync } from "node:crypto";

let env, server, baseUrl, demoPassword, adminOneTime, browser;

before(async () => {
  env = await setup();
  if (env) ({ server, baseUrl, demoPassword, adminOneTime, browser } = env);
});

after(() => teardown(env));

const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

// A page that records console errors, uncaught exceptions and every failed
// passkey request (with both bodies), so a failure says what the server
// answered rather than only "the error box appeared".
async function watchedPage(context) {
  const page = await context.newPage();
  const log = { problems: [], failures: [], expectFailures: false };
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // A deliberately refused passkey answers 4xx; Chromium reports that as a failed load.
    if (log.expectFailures && /status of 4\d\d/.test(m.text())) return;
    log.problems.push(m.text());
  });
  page.on("pageerror", (e) => log.problems.push(String(e)));
  page.on("response", async (res) => {
    if (!res.url().includes("/passkey") || res.status() < 400) return;
    let body = "";
    try {
      body = await res.text();
    } catch {}
    log.failures.push(
      `${res.request().method()} ${res.url()} -> ${res.status()}\n  request: ${(res.request().postData() || "").replace(/"password":"[^"]*"/, '"password":"…"')}\n  response: ${body}`,
    );
  });
  log.explain = () =>
    [
      log.problems.length ? "console:\n  " + log.problems.join("\n  ") : "",
      log.failures.length ? "failed requests:\n" + log.failures.join("\n") : "",
    ]
      .filter(Boolean)
      .join("\n") || "(no console error, no failed passkey request)";
  return { page, log };
}

async function addAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function signIn(page, email) {
  await page.goto(baseUrl + "/signin");
  await page.locator("input[name=email]").fill(email);
  await page.locator("#password").fill(demoPassword);
  await page.locator("button[type=submit].primary").click();
  await page.waitForLoadState();
}

async function signOut(page) {
  await page.goto(baseUrl + "/");
  await page.locator("details.user-menu summary").click();
  await page.locator('form[action="/signout"] button[type=submit]').click();
  await page.waitForLoadState();
  await page.goto(baseUrl + "/");
  assert.match(page.url(), /\/signin/, "signed out");
}

async function registerPasskey(page, log, name) {
  await page.goto(baseUrl + "/account/security");
  const form = page.locator("#passkey-register");
  await form.waitFor({ state: "visible" });
  await form.locator("[name=name]").fill(name);
  await form.locator("[name=password]").fill(demoPassword);
  await form.locator("button[type=submit]").click();
  try {
    await page.waitForURL(/\/account\/security\?notice=passkey-added$/, { timeout: 15000 });
  } catch (e) {
    const shown = await page.locator("#passkey-register-error").isVisible();
    assert.fail(`registration did not complete (error shown: ${shown}) at ${page.url()}\n${log.explain()}`);
  }
}

test("a person registers a passkey, then signs in with it; a wrong passkey is refused", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "en-GB",
    viewport: viewports.desktop,
    deviceScaleFactor: 1,
  });
  const { page, log } = await watchedPage(context);
  const { cdp, authenticatorId } = await addAuthenticator(page);

  // (1) Password only: no second factor yet.
  await signIn(page, "sofia.almeida@lumen.example");
  assert.equal(page.url(), baseUrl + "/");

  // (2) Register a passkey on the security page.
  await registerPasskey(page, log, "Test laptop");
  assert.equal(await page.locator("h1").textContent(), "Sign-in security");
  assert.equal((await page.locator("p.notice[role=status]").textContent()).trim(), "The passkey was added.");
  await assert.doesNotReject(
    page.locator("#passkeys strong", { hasText: "Test laptop" }).waitFor({ timeout: 2000 }),
    "the passkey is listed",
  );
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1, "the authenticator holds one credential");
  assert.equal(credentials[0].rpId, "localhost");
  const registered = credentials[0];
  await page.screenshot({ path: join(shots, "security-en-desktop.png"), fullPage: true });

  // The same page at phone size, in its own context with the same session.
  const phone = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "en-GB",
    viewport: viewports.phone,
    deviceScaleFactor: 1,
    storageState: await context.storageState(),
  });
  const phonePage = await phone.newPage();
  await phonePage.goto(baseUrl + "/account/security?notice=passkey-added");
  await phonePage.locator("#passkeys strong", { hasText: "Test laptop" }).waitFor();
  await phonePage.screenshot({ path: join(shots, "security-en-phone.png"), fullPage: true });
  const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.close();

  // (3) Sign out, sign in with the password: the passkey is now asked for.
  await signOut(page);
  await signIn(page, "sofia.almeida@lumen.example");
  assert.match(page.url(), /\/signin\/verify$/);
  await page.locator("#passkey-signin").waitFor({ state: "visible" });
  assert.equal(await page.locator("#passkey-error").isVisible(), false);
  await page.screenshot({ path: join(shots, "verify-en-desktop.png"), fullPage: true });
  await page.locator("#passkey-signin").click();
  try {
    await page.waitForURL(baseUrl + "/", { timeout: 15000 });
  } catch (e) {
    const shown = await page.locator("#passkey-error").isVisible();
    assert.fail(`passkey sign-in did not complete (error shown: ${shown}) at ${page.url()}\n${log.explain()}`);
  }
  assert.match(await page.locator("h1").textContent(), /^Hello Sofia/);
  assert.deepEqual(log.problems, [], "no console errors");
  assert.deepEqual(log.failures, [], "no failed passkey request");

  // (4) Wrong passkeys fail cleanly and leave the code form usable.
  await signOut(page);
  await signIn(page, "sofia.almeida@lumen.example");
  assert.match(page.url(), /\/signin\/verify$/);
  log.expectFailures = true;

  // Each attempt: the error appears, the button can be used again, the page
  // stays on /signin/verify with its code form. Returns the status of the
  // assertion POST, or null when the browser did not send one.
  async function failedAttempt(what) {
    await page.evaluate(() => (document.getElementById("passkey-error").hidden = true));
    let status = null;
    const answered = page
      .waitForResponse((r) => r.url() === baseUrl + "/signin/verify/passkey" && r.request().method() === "POST", {
        timeout: 15000,
      })
      .then((r) => (status = r.status()), () => {});
    await page.locator("#passkey-signin").click();
    await assert.doesNotReject(
      page.locator("#passkey-error").waitFor({ state: "visible", timeout: 15000 }),
      `${what}: #passkey-error is shown\n${log.explain()}`,
    );
    await page.locator("#passkey-signin:not([disabled])").waitFor();
    if (status === null) await Promise.race([answered, new Promise((r) => setTimeout(r, 500))]);
    assert.match(page.url(), /\/signin\/verify$/, `${what}: still on the verify page`);
    assert.equal(await page.locator('form[action="/signin/verify"] #code').count(), 1, `${what}: code form is there`);
    assert.equal(
      await page.locator("#passkey-error").textContent(),
      "The passkey could not be used. Try again, or enter a code.",
    );
    return status;
  }

  // (a) Same credential id, another private key: the signature does not verify.
  const forged = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "pkcs8", format: "der" })
    .toString("base64");
  await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
  await cdp.send("WebAuthn.addCredential", {
    authenticatorId,
    credential: { ...registered, privateKey: forged, signCount: registered.signCount + 10 },
  });
  const forgedStatus = await failedAttempt("forged signature");
  assert.ok(
    forgedStatus >= 400 && forgedStatus < 500,
    `the server refuses the forged assertion with a 4xx, got ${forgedStatus}\n${log.explain()}`,
  );
  await page.screenshot({ path: join(shots, "verify-en-desktop-error.png"), fullPage: true });

  // (b) No credential at all: the browser refuses before the server is asked.
  await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
  assert.equal(await failedAttempt("no credential"), null, "no assertion is sent without a credential");

  // The real passkey still works after the failures.
  await cdp.send("WebAuthn.addCredential", {
    authenticatorId,
    credential: { ...registered, signCount: registered.signCount + 20 },
  });
  await page.evaluate(() => (document.getElementById("passkey-error").hidden = true));
  await page.locator("#passkey-signin").click();
  try {
    await page.waitForURL(baseUrl + "/", { timeout: 15000 });
  } catch (e) {
    assert.fail(`passkey sign-in after failures did not complete at ${page.url()}\n${log.explain()}`);
  }
  assert.match(await page.locator("h1").textContent(), /^Hello Sofia/);
  assert.deepEqual(log.problems, [], "no console errors besides the refused requests");

  await context.close();
  assert.ok(overflow <= 0, `the security page overflows horizontally on a phone by ${overflow}px`);
});

test("the security page in French on a phone", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "fr-FR",
    viewport: viewports.phone,
    deviceScaleFactor: 1,
  });
  const { page, log } = await watchedPage(context);
  await addAuthenticator(page);

  await signIn(page, "claire.martin@lumen.example");
  assert.equal(page.url(), baseUrl + "/");
  await page.goto(baseUrl + "/account/security");
  assert.equal(await page.locator("h1").textContent(), "Sécurité de connexion");
  await page.locator("#passkey-register").waitFor({ state: "visible" });
  await page.screenshot({ path: join(shots, "security-fr-phone.png"), fullPage: true });
  const overflowEmpty = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  await registerPasskey(page, log, "Téléphone de Claire");
  assert.equal((await page.locator("p.notice[role=status]").textContent()).trim(), "La clé d’accès a été ajoutée.");
  await page.locator("#passkeys strong", { hasText: "Téléphone de Claire" }).waitFor({ timeout: 2000 });
  await page.screenshot({ path: join(shots, "security-fr-phone-passkey.png"), fullPage: true });
  const overflowListed = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  await signOut(page);
  await signIn(page, "claire.martin@lumen.example");
  assert.match(page.url(), /\/signin\/verify$/);
  assert.equal((await page.locator("#passkey-signin").textContent()).trim(), "Utiliser une clé d’accès");
  await page.screenshot({ path: join(shots, "verify-fr-phone.png"), fullPage: true });
  await page.locator("#passkey-signin").click();
  try {
    await page.waitForURL(baseUrl + "/", { timeout: 15000 });
  } catch (e) {
    assert.fail(`passkey sign-in did not complete at ${page.url()}\n${log.explain()}`);
  }
  assert.match(await page.locator("h1").textContent(), /^Bonjour Claire/);
  assert.deepEqual(log.problems, [], "no console errors");
  assert.deepEqual(log.failures, [], "no failed passkey request");
  await context.close();
  assert.ok(overflowEmpty <= 0, `the French security page overflows on a phone by ${overflowEmpty}px`);
  assert.ok(overflowListed <= 0, `the French security page with a passkey overflows on a phone by ${overflowListed}px`);
});
