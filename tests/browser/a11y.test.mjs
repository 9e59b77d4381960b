// Accessibility: axe-core on every page the demo's people reach (an
// administrator, an internal employee, an external client on the partner
// portal, someone not signed in), in English and French, on a phone and a
// desktop. Any serious or critical violation of the WCAG 2.0-2.2 A/AA or best
// practice rules fails the test, listing page, language, size, rule and
// element. Axe is injected as a script, which the pages' CSP forbids, so the
// contexts bypass the CSP (the usual way to run axe).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { setup, teardown, mailed, ADMIN_EMAIL } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const ADMIN_NEW_PASSWORD = "Lantern orbit 7 cobalt meadow";
const SPACE = "nordhavn-warehouse-automation";

let env, baseUrl, demoPassword, adminOneTime, browser;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl, demoPassword, adminOneTime, browser } = env);
});

after(() => teardown(env));

const sizes = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
};
const languages = ["en", "fr"];

// Every violation found, serious or not; the serious and critical ones fail.
const found = [];

// Runs axe on the page as it is (or only on the part `within` selects) and
// records what it finds under `where`.
async function audit(page, where, within = null) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async (within) => {
    const result = await window.axe.run(within ? { include: [[within]] } : document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      // Still marked experimental: a control's name must contain its visible text.
      rules: { "label-content-name-mismatch": { enabled: true } },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), impact: n.impact, summary: n.failureSummary })),
    }));
  }, within);
  for (const v of violations)
    for (const n of v.nodes) found.push({ where, id: v.id, impact: n.impact || v.impact, help: v.help, target: n.target, summary: n.summary });
}

// Opens `path` and audits it; the answer must be `status` (200 unless told).
async function visit(page, path, where, status = 200) {
  const res = await page.goto(baseUrl.replace("//localhost", `//${where.host || "localhost"}`) + path);
  assert.equal(res.status(), status, `GET ${path} (${where.role}) -> ${res.status()}`);
  await audit(page, { ...where, path });
}

async function chooseLanguage(page, lang) {
  await Promise.all([page.waitForEvent("load"), page.locator(`form.lang-switch button[value="${lang}"]`).click()]);
  assert.equal(await page.locator("html").getAttribute("lang"), lang);
}

// The demo's index is built in the background once the server is up.
async function searchUntilFound(page, origin, q, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(origin + "/search?q=" + encodeURIComponent(q));
    if ((await page.locator("li.hit").count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`no hit for “${q}” after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

async function newContext(extra = {}) {
  return browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, locale: "en-GB", viewport: sizes.desktop, ...extra });
}

async function signIn(page, origin, email, password) {
  await page.goto(origin + "/signin");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await Promise.all([page.waitForEvent("load"), page.locator("button[type=submit].primary").click()]);
}

// Where the first link matching `selector` on `path` leads.
async function firstLink(page, origin, path, selector) {
  await page.goto(origin + path);
  const href = await page.locator(selector).first().getAttribute("href");
  assert.ok(href, `a link ${selector} on ${path}`);
  return href;
}

// The pages every signed-in person reaches, found from the demo's own links.
async function commonPages(page, origin, { manager }) {
  const doc = await firstLink(page, origin, `/spaces/${SPACE}/files`, 'table.files a[href^="/files/"]');
  const person = await firstLink(page, origin, "/people", 'main a[href^="/people/"]');
  const post = await firstLink(page, origin, "/news", 'main .news-item h3 a[href^="/news/"]');
  const forum = await firstLink(page, origin, `/spaces/${SPACE}/discussions`, 'main .forum-list a[href^="/forums/"]');
  const topic = await firstLink(page, origin, forum, 'main .topic-list a[href^="/topics/"]');
  const request = await firstLink(page, origin, "/requests", 'main table a[href^="/requests/"]');
  // The approved Zone A layout: its flow, with the internal discussion for the host's people.
  const plans = await firstLink(page, origin, `/spaces/${SPACE}/files`, 'table.files a:has-text("Plans")');
  const layout = await firstLink(page, origin, plans, 'table.files a:has-text("Zone A layout.png")');
  // Nordhavn's change order, waiting for its approval.
  const change = await firstLink(page, origin, "/requests?type=change", 'main table tr:has-text("pick-to-light") a[href^="/requests/"]');
  return [
    "/",
    "/spaces",
    `/spaces/${SPACE}`,
    `/spaces/${SPACE}/files`,
    doc,
    `${doc}/approvals`,
    `${layout}/approvals`,
    `${change}/approvals`,
    "/search?q=layout",
    "/approvals",
    "/approvals/verify",
    "/about",
    `/spaces/${SPACE}/files?state=approved`,
    ...(manager ? [`/spaces/${SPACE}/files/trash`, `/spaces/${SPACE}/files/shares`, `/spaces/${SPACE}/approvals`] : []),
    "/search?q=steering",
    "/news",
    post,
    ...(manager ? ["/news/new", "/news?view=written"] : []),
    `/spaces/${SPACE}/discussions`,
    forum,
    `${forum}/new`,
    topic,
    "/requests",
    "/requests/dashboard",
    request,
    ...(manager ? [`${request}?view=customer`, "/requests/import"] : []),
    `/spaces/${SPACE}/requests/new`,
    `/spaces/${SPACE}/requests/new?type=support`,
    "/people",
    person,
    "/notifications",
    "/notifications/preferences",
    "/account",
    "/account/security",
  ];
}

// Visits `pages` in both languages at both sizes, with the account menu open
// once per pass, and the missing page.
async function auditSignedIn(page, role, host, pages) {
  const origin = baseUrl.replace("//localhost", `//${host}`);
  await searchUntilFound(page, origin, "steering");
  for (const lang of languages) {
    await page.goto(origin + "/");
    await chooseLanguage(page, lang);
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      const where = { role, host, lang, size };
      for (const path of pages) await visit(page, path, where);
      await visit(page, "/no-such-page", where, 404);
      await page.goto(origin + "/");
      // The open account menu covers part of the page, which was audited
      // with the menu closed: the menu itself is audited open.
      await page.locator("details.user-menu summary").click();
      await audit(page, { ...where, path: "/ (account menu open)" }, "details.user-menu");
    }
  }
}

test("axe finds no serious violation on any page, in both languages, at both sizes", async (t) => {
  if (!browser) return t.skip("no Chromium");

  // An administrator: the one-time password is replaced first.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN_EMAIL, adminOneTime);
    assert.match(page.url(), /\/account(#password)?$/);
    await page.locator("#current").fill(adminOneTime);
    await page.locator("#new").fill(ADMIN_NEW_PASSWORD);
    await page.locator("#confirm").fill(ADMIN_NEW_PASSWORD);
    await Promise.all([page.waitForEvent("load"), page.locator('form[action="/account/password"] button[type=submit]').click()]);
    assert.match(page.url(), /notice=password-changed/);
    const admin = [
      "/admin/people",
      "/admin/people/import",
      await firstLink(page, baseUrl, "/admin/people", 'main a[href$="/data"]'),
      "/admin/organizations",
      "/admin/groups",
      await firstLink(page, baseUrl, "/admin/groups", 'main a[href^="/admin/groups/"]'),
      "/admin/spaces",
      await firstLink(page, baseUrl, "/admin/spaces", 'main a[href^="/admin/spaces/"]'),
      "/admin/portals",
      await firstLink(page, baseUrl, "/admin/portals", 'main a[href^="/admin/portals/"]'),
      "/admin/audit",
      "/admin/adoption",
      "/admin/request-types",
      await firstLink(page, baseUrl, "/admin/request-types", 'main a[href^="/admin/request-types/"]'),
      `/spaces/${SPACE}/activity`,
      (await firstLink(page, baseUrl, "/news?view=written", 'main .news-item h3 a[href^="/news/"]')) + "/edit",
      (await firstLink(page, baseUrl, "/news", '.to-ack h3 a[href^="/news/"]')) + "/report",
    ];
    const pages = [...(await commonPages(page, baseUrl, { manager: true })), ...admin];
    await auditSignedIn(page, "administrator", "localhost", pages);
    await context.close();
  }

  // An internal employee, manager of the space.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, "sofia.almeida@lumen.example", demoPassword);
    assert.equal(page.url(), baseUrl + "/");
    await auditSignedIn(page, "employee", "localhost", await commonPages(page, baseUrl, { manager: true }));
    await context.close();
  }

  // An external client on the partner portal.
  {
    const host = "partners.localhost";
    const origin = baseUrl.replace("//localhost", `//${host}`);
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, origin, "ingrid.solberg@nordhavn.example", demoPassword);
    assert.equal(page.url(), origin + "/");
    await auditSignedIn(page, "client", host, await commonPages(page, origin, { manager: false }));
    await context.close();
  }

  // Someone not signed in, on both portals; the browser's language chooses.
  for (const lang of languages) {
    for (const [size, viewport] of Object.entries(sizes)) {
      const context = await newContext({ locale: lang === "fr" ? "fr-FR" : "en-GB", viewport });
      const page = await context.newPage();
      for (const host of ["localhost", "partners.localhost"]) {
        const where = { role: "anonymous", host, lang, size };
        await visit(page, "/signin", where);
        assert.equal(await page.locator("html").getAttribute("lang"), lang);
        await visit(page, "/forgot", where);
        await visit(page, "/no-such-page", where, 404);
        // A signatory's link, as it opens before the code.
        const [, token] = await mailed(env, /\/sign\/([A-Za-z0-9_-]{43})/);
        await visit(page, `/sign/${token}`, where);
      }
      await context.close();
    }
  }

  const line = (f) => `${f.where.role}@${f.where.host} ${f.where.path} [${f.where.lang}, ${f.where.size}] ${f.id} (${f.impact}): ${f.target}`;
  const minor = found.filter((f) => !["serious", "critical"].includes(f.impact));
  if (minor.length) {
    t.diagnostic(`${minor.length} moderate or minor findings:`);
    for (const l of new Set(minor.map(line))) t.diagnostic(l);
  }
  const serious = found.filter((f) => ["serious", "critical"].includes(f.impact));
  const byRule = {};
  for (const f of serious) byRule[f.id] = (byRule[f.id] || 0) + 1;
  assert.deepEqual(
    serious.map(line),
    [],
    `${serious.length} serious or critical violations (${JSON.stringify(byRule)}):\n` +
      [...new Set(serious.map((f) => `${f.id}: ${f.help}`))].join("\n"),
  );
});
