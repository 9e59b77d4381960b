// The administration pages in headless Chromium: the first administrator
// replaces the one-time password, visits every admin page, imports people from
// a CSV file (a bad file creates nothing, a good one creates everyone), edits
// the default portal's colour with its live preview, then switches to French
// and checks every admin page on a phone. Screenshots go to ./screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, ADMIN_EMAIL } from "./harness.mjs";

const ADMIN_NEW_PASSWORD = "Lantern orbit 7 cobalt meadow";

let env, server, baseUrl, demoPassword, adminOneTime, browser;
// The administrator's signed-in session (cookies), shared by every test once
// the one-time password has been replaced.
let adminState;

before(async () => {
  env = await setup();
  if (env) ({ server, baseUrl, demoPassword, adminOneTime, browser } = env);
});

after(() => teardown(env));

const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

// A page that records console errors, uncaught exceptions and every 4xx/5xx
// answer (with its body), so a failure says what the server answered. A status
// the test provokes on purpose is listed in log.expected while it is expected.
async function watchedPage(context) {
  const page = await context.newPage();
  const log = { problems: [], failures: [], expected: new Set() };
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const status = m.text().match(/status of (\d{3})/);
    if (status && log.expected.has(Number(status[1]))) return;
    log.problems.push(`${m.text()} (${m.location().url || page.url()})`);
  });
  page.on("pageerror", (e) => log.problems.push(String(e)));
  page.on("response", async (res) => {
    if (res.status() < 400 || log.expected.has(res.status())) return;
    let body = "";
    try {
      body = await res.text();
    } catch {}
    body = body.replace(/\s+/g, " ").slice(0, 600);
    log.failures.push(`${res.request().method()} ${res.url()} -> ${res.status()}\n  response: ${body}`);
  });
  log.explain = () =>
    [
      log.problems.length ? "console:\n  " + log.problems.join("\n  ") : "",
      log.failures.length ? "failed requests:\n" + log.failures.join("\n") : "",
    ]
      .filter(Boolean)
      .join("\n") || "(no console error, no failed request)";
  return { page, log };
}

// A browser context for the administrator at the given size. The first call
// signs in with the one-time password and replaces it on /account.
async function adminContext(viewport, locale = "en-GB") {
  if (!adminState) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale, viewport: viewports.desktop });
    const { page, log } = await watchedPage(context);
    await page.goto(baseUrl + "/signin");
    await page.locator("input[name=email]").fill(ADMIN_EMAIL);
    await page.locator("#password").fill(adminOneTime);
    await page.locator("button[type=submit].primary").click();
    await page.waitForLoadState();
    assert.match(page.url(), /\/account(#password)?$/, "the one-time password leads to the account page");
    assert.equal(await page.locator("p.alert[role=alert]").count(), 1, "the page says the password must change");
    // Admin pages are closed until the password is replaced.
    await page.goto(baseUrl + "/admin/people");
    assert.doesNotMatch(page.url(), /\/admin\/people$/, `/admin/people before the change: ${page.url()}`);

    await page.goto(baseUrl + "/account");
    await page.locator("#current").fill(adminOneTime);
    await page.locator("#new").fill(ADMIN_NEW_PASSWORD);
    await page.locator("#confirm").fill(ADMIN_NEW_PASSWORD);
    await page.locator('form[action="/account/password"] button[type=submit]').click();
    await page.waitForURL(/\/account\?notice=password-changed$/);
    assert.deepEqual(log.problems, [], log.explain());
    adminState = await context.storageState();
    await context.close();
  }
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale,
    viewport: viewports[viewport],
    deviceScaleFactor: 1,
    storageState: adminState,
  });
  return { context, ...(await watchedPage(context)) };
}

// Opens an admin page and checks the answer, the heading and the subnav.
async function open(page, log, path, heading) {
  const res = await page.goto(baseUrl + path);
  assert.equal(res.status(), 200, `GET ${path} -> ${res.status()}\n${log.explain()}`);
  assert.equal(page.url(), baseUrl + path, `GET ${path} was redirected`);
  assert.equal((await page.locator("h1").textContent()).trim(), heading, `h1 of ${path}`);
  assert.equal(await page.locator(".mainnav a[aria-current=page]").getAttribute("href"), "/admin/people", `${path}: header nav`);
}

// Where the first link matching `selector` leads.
async function firstLink(page, selector) {
  const href = await page.locator(selector).first().getAttribute("href");
  assert.ok(href, `a link ${selector}`);
  return href;
}

test("an administrator visits every administration page on a desktop", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page, log } = await adminContext("desktop");

  // The header's "Admin" entry leads to the people page.
  await page.goto(baseUrl + "/");
  const entry = page.locator(".mainnav a", { hasText: /^Admin$/ });
  assert.equal(await entry.count(), 1, "the header has an Admin entry");
  await entry.click();
  await page.waitForURL(baseUrl + "/admin/people");

  await open(page, log, "/admin/people", "People");
  assert.ok((await page.locator("table tbody tr").count()) >= 13, "the admin and the twelve demo people are listed");
  assert.equal(await page.locator(".subnav a[aria-current=page]").getAttribute("href"), "/admin/people");
  assert.equal((await page.locator("#new-person").textContent()).trim(), "New account");
  await page.screenshot({ path: join(shots, "admin-people-en.png"), fullPage: true });

  // The search narrows the table.
  await page.locator("#q").fill("hugo");
  await page.locator("form.filter button[type=submit]").click();
  await page.waitForURL(/\/admin\/people\?q=hugo(&|$)/);
  assert.deepEqual(
    (await page.locator("table tbody tr td:first-child a[href^='/people/']").allTextContents()).map((s) => s.trim()),
    ["Hugo Petit"],
  );

  // Suspend and reactivate a demo person.
  const row = () => page.locator("table tbody tr", { hasText: "Hugo Petit" });
  await row().locator("button", { hasText: "Suspend" }).click();
  await page.waitForURL(/notice=status-changed/);
  assert.equal((await page.locator("p.notice[role=status]").textContent()).trim(), "The account status was changed.");
  assert.match(await row().textContent(), /Suspended/);
  await row().locator("button", { hasText: "Reactivate" }).click();
  await page.waitForURL(/notice=status-changed/);
  assert.doesNotMatch(await row().textContent(), /Suspended/);
  assert.equal(await row().locator("button", { hasText: "Suspend" }).count(), 1);

  await open(page, log, "/admin/people/import", "Import people");
  await page.screenshot({ path: join(shots, "admin-import-empty-en.png"), fullPage: true });

  await open(page, log, "/admin/organizations", "Organizations");
  assert.ok((await page.locator("table tbody tr").count()) >= 3, "host, client and supplier");
  await page.screenshot({ path: join(shots, "admin-orgs-en.png"), fullPage: true });

  await open(page, log, "/admin/groups", "Groups");
  const group = await firstLink(page, "main a[href^='/admin/groups/']");
  await open(page, log, group, "Groups");
  assert.ok((await page.locator("#group-title").count()) === 1, "the group is open");
  await page.screenshot({ path: join(shots, "admin-groups-detail-en.png"), fullPage: true });

  await open(page, log, "/admin/spaces", "Spaces");
  assert.ok((await page.locator("main a[href^='/admin/spaces/']").count()) >= 5, "the five demo spaces");
  await page.screenshot({ path: join(shots, "admin-spaces-en.png"), fullPage: true });
  const space = await page
    .locator("main a[href^='/admin/spaces/']", { hasText: "Nordhavn" })
    .first()
    .getAttribute("href");
  await open(page, log, space, "Spaces");
  assert.match(await page.locator("#space-title").textContent(), /Nordhavn/);
  assert.ok((await page.locator("#space-title ~ ul .member-row").count()) >= 4, "the space's members are listed");
  await page.screenshot({ path: join(shots, "admin-spaces-detail-en.png"), fullPage: true });

  await open(page, log, "/admin/portals", "Portals");
  const portal = await page
    .locator("main .plain-list li", { has: page.locator(".badge") })
    .locator("a[href^='/admin/portals/']")
    .first()
    .getAttribute("href");
  await open(page, log, portal, "Portals");
  assert.equal(await page.locator("#p-color").count(), 1, "the default portal's settings are open");
  await page.screenshot({ path: join(shots, "admin-portal-en.png"), fullPage: true });

  // Adoption: the demo's five weeks drawn, each figure with its table; no one named.
  await open(page, log, "/admin/adoption", "Adoption");
  assert.ok((await page.locator("main svg.chart").count()) >= 3, "per day, per week, spaces");
  assert.ok((await page.locator("#days tbody tr").count()) >= 30, "thirty days");
  assert.match(await page.locator("#misses").textContent(), /parking badge/);
  assert.match(await page.locator("#organizations").textContent(), /Nordhavn Logistics/);
  assert.doesNotMatch(await page.locator("main").textContent(), /Ingrid|Solberg|@nordhavn/);
  await page.screenshot({ path: join(shots, "admin-adoption-en.png"), fullPage: true });
  await page.selectOption("#a-of", { label: "Nordhavn Logistics" });
  await page.locator("main form.filters button[type=submit]").click();
  await page.waitForURL(/of=organization-/);
  assert.match(await page.locator("main").textContent(), /Nordhavn Logistics only/);

  assert.deepEqual(log.problems, [], log.explain());
  assert.deepEqual(log.failures, [], log.explain());
  await context.close();
});

test("a CSV file with one bad row imports nothing; a good file creates both people", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page, log } = await adminContext("desktop");

  const csv = (rows) => ({
    name: "people.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("email,name,organization,title\n" + rows.join("\n") + "\n", "utf8"),
  });
  const countOf = async (q) => {
    await page.goto(`${baseUrl}/admin/people?q=${encodeURIComponent(q)}`);
    return page.locator("table tbody tr").count();
  };
  const submit = async (file, mode) => {
    await page.goto(baseUrl + "/admin/people/import");
    await page.locator("#csv-file").setInputFiles(file);
    const answered = page.waitForResponse(
      (r) => r.url().startsWith(baseUrl + "/admin/people/import") && r.request().method() === "POST",
    );
    await page.locator(`button[name=mode][value=${mode}]`).click();
    const res = await answered;
    await page.waitForLoadState();
    return res.status();
  };

  // (a) One good row, one row with an invalid e-mail: the real import refuses everything.
  log.expected.add(400);
  const bad = csv([
    "nadia.benali@lumen.example,Nadia Benali,,Buyer",
    "not-an-email,Oscar Vidal,nordhavn-logistics,Driver",
  ]);
  assert.equal(await submit(bad, "import"), 400, "a file with a bad row is refused");
  assert.match(await page.locator("p.alert[role=alert]").textContent(), /Nothing was imported\./);
  assert.equal(await page.locator("p.notice").count(), 0);
  const rows = page.locator("table tbody tr");
  assert.equal(await rows.count(), 2, "both rows are reported");
  assert.equal(await page.locator("tr.row-error").count(), 1, "one row is in error");
  const errorRow = page.locator("tr.row-error");
  assert.match(await errorRow.textContent(), /not-an-email/);
  assert.equal((await errorRow.locator(".error-text").textContent()).trim(), "This is not a valid e-mail address.");
  assert.equal(await errorRow.locator("td").first().textContent(), "3", "the file's line number");
  assert.match(await rows.nth(0).locator("td").last().textContent(), /Ready to import/);
  assert.equal(await rows.nth(0).locator("td").last().locator("svg.icon").count(), 1);
  await page.screenshot({ path: join(shots, "admin-import-en.png"), fullPage: true });
  log.expected.delete(400);
  assert.equal(await countOf("nadia.benali"), 0, "the good row of the bad file was not created");

  // (b) A good file: the check says it is ready and writes nothing, then the import creates both.
  const good = csv([
    "nadia.benali@lumen.example,Nadia Benali,,Buyer",
    "oscar.vidal@nordhavn.example,Oscar Vidal,nordhavn-logistics,Driver",
  ]);
  assert.equal(await submit(good, "check"), 200, `check of a good file\n${log.explain()}`);
  assert.match(await page.locator("p.notice[role=status]").textContent(), /^All 2 rows are right\./);
  assert.equal(await page.locator("tr.row-error").count(), 0);
  assert.equal(await countOf("nadia.benali"), 0, "checking writes nothing");

  assert.equal(await submit(good, "import"), 200, `import of a good file\n${log.explain()}`);
  assert.match(await page.locator("p.notice[role=status]").textContent(), /^2 accounts created/);
  assert.equal(await page.locator("p.alert").count(), 0);
  await page.screenshot({ path: join(shots, "admin-import-done-en.png"), fullPage: true });

  assert.equal(await countOf("nadia.benali"), 1, "Nadia was created");
  assert.equal(await countOf("oscar.vidal"), 1, "Oscar was created");
  assert.match(await page.locator("table tbody tr").textContent(), /Nordhavn Logistics/);

  // The same file again: every row is now taken, nothing changes.
  log.expected.add(400);
  assert.equal(await submit(good, "import"), 400);
  assert.equal(await page.locator("tr.row-error").count(), 2);
  assert.match(await page.locator("tr.row-error .error-text").first().textContent(), /already used/);
  log.expected.delete(400);

  assert.deepEqual(log.problems, [], log.explain());
  assert.deepEqual(log.failures, [], log.explain());
  await context.close();
});

test("the portal colour preview follows the typing, and saving keeps it", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page, log } = await adminContext("desktop");

  await page.goto(baseUrl + "/admin/portals");
  const href = await page
    .locator("main .plain-list li", { has: page.locator(".badge") })
    .locator("a[href^='/admin/portals/']")
    .first()
    .getAttribute("href");
  await open(page, log, href, "Portals");
  const url = page.url();
  const input = page.locator("#p-color");
  const rect = page.locator("#color-preview rect");
  const before = await rect.getAttribute("fill");
  assert.equal(before.toLowerCase(), (await input.inputValue()).toLowerCase(), "the preview starts with the saved colour");
  assert.notEqual(before.toLowerCase(), "#0b7a5a");

  // Type the new colour key by key: an incomplete value leaves the preview alone.
  await input.fill("");
  await input.pressSequentially("#0b7a5");
  assert.equal(await rect.getAttribute("fill"), before, "an incomplete colour does not change the preview");
  await input.press("a");
  assert.equal(await rect.getAttribute("fill"), "#0b7a5a", "the preview shows the typed colour");
  assert.equal(page.url(), url, "nothing was submitted");
  assert.equal((await page.request.get(baseUrl + "/portal.css").then((r) => r.text())).includes("#0b7a5a"), false);

  await page.locator(`form[action="${href}"] button[type=submit].primary`).click();
  await page.waitForURL(new RegExp(`${href}\\?notice=saved$`));
  assert.equal((await page.locator("p.notice[role=status]").textContent()).trim(), "Saved.");
  assert.equal(await page.locator("#p-color").inputValue(), "#0b7a5a");
  assert.equal(await page.locator("#color-preview rect").getAttribute("fill"), "#0b7a5a");
  const css = await page.request.get(baseUrl + "/portal.css").then((r) => r.text());
  assert.match(css, /#0b7a5a/, `the portal stylesheet uses the saved colour: ${css}`);
  await page.screenshot({ path: join(shots, "admin-portal-saved-en.png"), fullPage: true });

  assert.deepEqual(log.problems, [], log.explain());
  assert.deepEqual(log.failures, [], log.explain());
  await context.close();
});

test("in French on a phone, no administration page overflows", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page, log } = await adminContext("phone", "en-GB");

  await page.goto(baseUrl + "/admin/people");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await page.locator('form.lang-switch button[value="fr"]').click();
  await page.waitForURL(baseUrl + "/admin/people");
  assert.equal(await page.locator("html").getAttribute("lang"), "fr");

  const group = await (async () => {
    await page.goto(baseUrl + "/admin/groups");
    return firstLink(page, "main a[href^='/admin/groups/']");
  })();
  const space = await (async () => {
    await page.goto(baseUrl + "/admin/spaces");
    return page.locator("main a[href^='/admin/spaces/']", { hasText: "Nordhavn" }).first().getAttribute("href");
  })();
  const portal = await (async () => {
    await page.goto(baseUrl + "/admin/portals");
    return page
      .locator("main .plain-list li", { has: page.locator(".badge") })
      .locator("a[href^='/admin/portals/']")
      .first()
      .getAttribute("href");
  })();

  const pages = [
    ["/admin/people", "Personnes", "admin-people-fr-phone.png"],
    ["/admin/people/import", "Importer des personnes", "admin-import-fr-phone.png"],
    ["/admin/organizations", "Organisations", "admin-orgs-fr-phone.png"],
    ["/admin/groups", "Groupes", "admin-groups-fr-phone.png"],
    [group, "Groupes", "admin-groups-detail-fr-phone.png"],
    ["/admin/spaces", "Espaces", "admin-spaces-fr-phone.png"],
    [space, "Espaces", "admin-spaces-detail-fr-phone.png"],
    ["/admin/portals", "Portails", "admin-portals-fr-phone.png"],
    [portal, "Portails", "admin-portal-fr-phone.png"],
    ["/admin/adoption", "Adoption", "admin-adoption-fr-phone.png"],
  ];
  const overflowing = [];
  const scrollingTables = [];
  const navCut = new Set();
  for (const [path, heading, shot] of pages) {
    await open(page, log, path, heading);
    await page.screenshot({ path: join(shots, shot), fullPage: true });
    if (path === "/admin/people") {
      // The row actions live at the end of the scrolling table: show them too.
      const wrap = page.locator(".table-wrap").first();
      const box = await wrap.evaluate((w) => {
        w.scrollLeft = w.scrollWidth;
        const r = w.getBoundingClientRect();
        return { x: 0, y: r.top + window.scrollY, width: window.innerWidth, height: r.height };
      });
      await page.screenshot({ path: join(shots, "admin-people-fr-phone-actions.png"), fullPage: true, clip: box });
      await wrap.evaluate((w) => (w.scrollLeft = 0));
    }
    const m = await page.evaluate(() => {
      const vw = window.innerWidth;
      const describe = (e) =>
        e.tagName.toLowerCase() +
        (e.id ? "#" + e.id : "") +
        (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "");
      // Whether a scrolling or clipping ancestor hides the part of `e` past the
      // viewport (a positioned element escapes the ones outside its containing block).
      const clipped = (e) => {
        let block = getComputedStyle(e).position === "absolute" ? e.offsetParent : e.parentElement;
        let reached = false;
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (a === block) reached = true;
          if (reached && getComputedStyle(a).overflowX !== "visible") return true;
          if (reached) block = a.parentElement;
        }
        return false;
      };
      const sticksOut = (e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > vw + 1 && !clipped(e);
      };
      // The outermost elements sticking out to the right of the page.
      const wide = [];
      for (const e of document.querySelectorAll("body *")) {
        if (!sticksOut(e)) continue;
        if (e.parentElement && e.parentElement !== document.body && sticksOut(e.parentElement)) continue;
        const text = (e.textContent || "").trim().replace(/\s+/g, " ").slice(0, 30);
        wide.push(`${describe(e)} "${text}" (right edge ${Math.round(e.getBoundingClientRect().right)}px)`);
      }
      const tables = [...document.querySelectorAll(".table-wrap")]
        .filter((w) => w.scrollWidth > w.clientWidth + 1)
        .map((w) => `${describe(w)} scrolls ${w.scrollWidth - w.clientWidth}px`);
      // The current entry of the header's scrolling navigation, if it is cut off.
      const nav = document.querySelector(".mainnav");
      const current = nav && nav.querySelector("a[aria-current=page]");
      const navCut =
        current && current.getBoundingClientRect().right > nav.getBoundingClientRect().right + 1
          ? `"${current.textContent.trim()}" ends at ${Math.round(current.getBoundingClientRect().right)}px, the nav at ${Math.round(nav.getBoundingClientRect().right)}px`
          : "";
      return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 8), tables, navCut };
    });
    if (m.scroll > m.vw + 1) overflowing.push(`${path}: scrollWidth ${m.scroll} > ${m.vw}; ${m.wide.join(", ")}`);
    if (m.tables.length) scrollingTables.push(`${path}: ${m.tables.join(", ")}`);
    if (m.navCut) navCut.add(m.navCut);
  }
  if (navCut.size) t.diagnostic("header navigation cut off on a phone: " + [...navCut].join(" | "));
  if (scrollingTables.length) t.diagnostic("tables scrolling inside .table-wrap: " + scrollingTables.join(" | "));

  assert.deepEqual(log.problems, [], log.explain());
  assert.deepEqual(log.failures, [], log.explain());
  await context.close();
  assert.deepEqual(overflowing, [], "admin pages overflow horizontally on a phone");
});
