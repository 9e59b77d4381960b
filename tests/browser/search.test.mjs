// Search in headless Chromium against the demo: suggestions under the header
// box as one types (an ARIA combobox driven by the keyboard), the results page
// with highlighted snippets, facets and sort, and what an external client's
// search leaves out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn as signedInAs, chooseLanguage } from "./harness.mjs";

let env, baseUrl, demoPassword, browser;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl, demoPassword, browser } = env);
});

after(() => teardown(env));

const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
};

const signedIn = (email, viewport) => signedInAs(env, email, viewport);


// The demo's index is built in the background once the server is up, so the
// first searches may find nothing yet: ask again until something is found
// rather than sleeping a fixed time and hoping.
async function searchUntilFound(page, q, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(baseUrl + "/search?q=" + encodeURIComponent(q));
    const hits = await page.locator("li.hit").count();
    if (hits > 0) return hits;
    if (Date.now() > deadline) throw new Error(`no hit for “${q}” after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

// The hits' titles of the page currently shown.
async function hitTitles(page) {
  return (await page.locator("li.hit a.hit-title").allTextContents()).map((t) => t.trim());
}

function watchProblems(page) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(`${m.text()} (${page.url()})`));
  return problems;
}

test("suggestions as one types, the results page with facets and sort, in English and French", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page } = await signedIn("sofia.almeida@lumen.example", viewports.desktop);
  const problems = watchProblems(page);
  await chooseLanguage(page, "en");
  await searchUntilFound(page, "zone");

  // Suggestions: typed one key at a time like a person, so the box's input
  // events (and its debounce) run as they would for real.
  await page.goto(baseUrl + "/");
  const box = page.locator("#header-search");
  const list = page.locator("#search-suggestions");
  await box.click();
  await page.keyboard.type("zone", { delay: 80 });
  await list.waitFor({ state: "visible" });
  const layout = list.locator("[role=option]", { hasText: "Zone A layout.png" });
  await layout.first().waitFor();
  assert.ok((await list.locator("[role=option]").count()) >= 1);
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  assert.equal(await box.getAttribute("aria-controls"), "search-suggestions");
  await page.screenshot({ path: join(shots, "search-suggestions-en-desktop.png") });

  // The keyboard alone picks a suggestion: the first one is marked, and
  // Enter opens it instead of submitting the full search.
  const options = await list.locator("[role=option]").allTextContents();
  assert.match(options[0], /Zone A layout\.png/, `the first suggestion is the plan: ${options.join(" | ")}`);
  await page.keyboard.press("ArrowDown");
  assert.equal(await list.locator("[role=option]").first().getAttribute("aria-selected"), "true");
  assert.equal(await box.getAttribute("aria-activedescendant"), await list.locator("[role=option]").first().getAttribute("id"));
  await Promise.all([page.waitForURL(/\/files\/\d+$/), page.keyboard.press("Enter")]);
  assert.equal((await page.locator("h1").textContent()).trim(), "Zone A layout.png");

  // Something nothing matches shows no list. Fewer than two characters
  // close the list at once, without asking the server, so the check waits
  // for the server's (empty) answer to the whole word before looking.
  const suggested = (q) => (r) => r.url().endsWith("/api/v1/search/suggest?q=" + encodeURIComponent(q));
  await box.fill("");
  let answered = page.waitForResponse(suggested("qqqqzz"));
  await page.keyboard.type("qqqqzz", { delay: 80 });
  assert.deepEqual((await (await answered).json()).items, []);
  assert.equal(await list.isHidden(), true);
  assert.equal(await box.getAttribute("aria-expanded"), "false");

  // And an open list does not keep stale items: with “zone” suggested,
  // the text is replaced in one go (as a paste would), so only the empty
  // answer can close it.
  await box.fill("");
  await page.keyboard.type("zone", { delay: 80 });
  await layout.first().waitFor();
  await box.selectText();
  answered = page.waitForResponse(suggested("qqqqzz"));
  await page.keyboard.insertText("qqqqzz");
  await answered;
  await list.waitFor({ state: "hidden" });
  assert.equal(await list.locator("[role=option]").count(), 0);
  assert.equal(await box.getAttribute("aria-expanded"), "false");

  // The results page: every hit links somewhere, words found are highlighted.
  const hits = await searchUntilFound(page, "zone");
  assert.ok(hits >= 3, `${hits} hits for zone: ${(await hitTitles(page)).join(", ")}`);
  for (const hit of await page.locator("li.hit").all()) {
    assert.ok(await hit.locator("a.hit-title[href]").getAttribute("href"), "each hit has a link");
  }
  assert.ok((await page.locator("li.hit .snippet b").count()) >= 1, "a snippet highlights the word");
  const facets = page.locator("aside.facets");
  assert.equal(await facets.locator("a", { hasText: "Nordhavn — Warehouse automation" }).count(), 1);

  // The “.md” file-type facet keeps only Markdown files.
  await Promise.all([page.waitForEvent("load"), facets.locator("a", { hasText: /^\.md$/ }).click()]);
  assert.equal(new URL(page.url()).searchParams.get("ext"), "md");
  const mdTitles = await hitTitles(page);
  assert.ok(mdTitles.length >= 1, "the .md filter keeps something");
  assert.ok(mdTitles.length < hits, `the .md filter narrows ${hits} hits to ${mdTitles.length}`);
  for (const title of mdTitles) assert.match(title, /\.md$/, `${title} is a Markdown file`);

  // Most recent first: the same hits, in another order.
  await page.goto(baseUrl + "/search?q=zone");
  await Promise.all([page.waitForEvent("load"), facets.locator("a", { hasText: "Most recent" }).click()]);
  assert.equal(new URL(page.url()).searchParams.get("sort"), "date");
  assert.equal((await facets.locator("strong", { hasText: "Most recent" }).count()), 1, "the chosen sort is shown as chosen");
  assert.equal(await page.locator("li.hit").count(), hits);

  // Screenshots in both languages at both sizes. The switch saves the
  // choice on the person, so each pass sets its language explicitly.
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + "/search?q=zone");
      await chooseLanguage(page, lang);
      assert.ok((await page.locator("li.hit").count()) >= 3);
      await page.screenshot({ path: join(shots, `search-results-${lang}-${size}.png`), fullPage: true });
    }
  }

  assert.deepEqual(problems, []);
  await context.close();
});

test("an external client's search leaves out what she may not see", async (t) => {
  if (!browser) return t.skip("no Chromium");
  // A new context: her own cookies, nothing left from Sofia's session.
  const { context, page } = await signedIn("ingrid.solberg@nordhavn.example", viewports.desktop);
  const problems = watchProblems(page);
  await chooseLanguage(page, "en");

  // First something she may see, so an empty answer below means “trimmed”
  // and not “the index is not ready yet”.
  await searchUntilFound(page, "steering");
  assert.ok((await hitTitles(page)).includes("2026-11-12 Steering committee.md"), (await hitTitles(page)).join(", "));

  // The salary guidelines sit in a managers-only folder of HR, and
  // everything about the supplier Verdier in a space she is not in.
  for (const q of ["salary", "Verdier"]) {
    await page.goto(baseUrl + "/search?q=" + encodeURIComponent(q));
    assert.equal(await page.locator("li.hit").count(), 0, `${q}: ${(await hitTitles(page)).join(", ")}`);
    assert.equal(await page.locator("aside.facets").count(), 0, `${q}: no facets when nothing matched`);
  }
  // The suggestions are trimmed the same way.
  const res = await page.request.get(baseUrl + "/api/v1/search/suggest?q=Verdier", { headers: { Accept: "application/json" } });
  assert.equal(res.status(), 200);
  assert.deepEqual((await res.json()).items, []);

  assert.deepEqual(problems, []);
  await context.close();

  // Those words do find something for people who may see it, so her empty
  // answers come from trimming and not from words the index lacks.
  for (const [email, q] of [["thomas.leroy@lumen.example", "salary"], ["lucas.bernard@lumen.example", "Verdier"]]) {
    const other = await signedIn(email, viewports.desktop);
    assert.ok((await searchUntilFound(other.page, q)) >= 1, `${email} finds ${q}`);
    await other.context.close();
  }
});
