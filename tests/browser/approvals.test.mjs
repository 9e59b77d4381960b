// Approval flows in headless Chromium, on the demo: Amina finds Verdier's
// certificate waiting for her quality check and approves it; the Zone A
// layout shows its approved flow with the signed record to download, in
// English and French, on a desktop and a phone. Screenshots go to ./screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn, chooseLanguage, viewports, mailed } from "./harness.mjs";

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

test("the library shows each file's review state and narrows to one", async (t) => {
  if (!browser) return t.skip("no Chromium");
  for (const [size, viewport, lang] of [["desktop", viewports.desktop, "en"], ["phone", viewports.phone, "fr"]]) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
    await chooseLanguage(page, lang);
    await page.locator("main a", { hasText: "Plans" }).first().click();
    const row = page.locator("main table.files tr", { hasText: "Zone A layout.png" });
    assert.match(await row.textContent(), lang === "en" ? /Approved/ : /Validé/);
    await page.screenshot({ path: join(shots, `library-states-${lang}-${size}.png`), fullPage: true });
    await page.locator("main select#state").selectOption("approved");
    await page.locator("main #state-filter button").click();
    await page.waitForURL(/state=approved/);
    const names = await page.locator("main table.files tbody tr td:first-child").allTextContents();
    assert.ok(names.length >= 1 && names.every((n) => !/folder/i.test(n)), `${names}`);
    assert.ok(names.some((n) => n.includes("Zone A layout.png")));
    assert.equal(await page.locator("main select#state").inputValue(), "approved", "the choice stays");
    await context.close();
  }
});

test("a manager sees the space's flows and its submission folder", async (t) => {
  if (!browser) return t.skip("no Chromium");
  for (const [size, viewport, lang] of [["desktop", viewports.desktop, "en"], ["phone", viewports.phone, "fr"]]) {
    const { context, page } = await signedIn(env, "lucas.bernard@lumen.example", viewport);
    await page.goto(baseUrl + "/spaces/verdier-supply-quality/approvals");
    await chooseLanguage(page, lang);
    const text = await page.locator("main").textContent();
    assert.match(text, /Supplier certificate/);
    assert.match(text, lang === "en" ? /Quality check \(3 working days\)/ : /Quality check \(3 jours ouvrés\)/);
    assert.equal(await page.locator("main #bindings li", { hasText: "Certificates" }).count(), 1);
    assert.equal(await page.locator("main #bind-folder").inputValue(), "", "no folder chosen for him");
    assert.equal(await page.locator("main #define-name").inputValue(), "", "no name chosen for him");
    await page.screenshot({ path: join(shots, `approvals-space-${lang}-${size}.png`), fullPage: true });
    // Changing a flow opens it in the editor.
    await page.locator("main a[href*='?edit=']", { hasText: lang === "en" ? "Change" : "Modifier" }).first().click();
    assert.equal(await page.locator("main #define-name").inputValue(), "Supplier certificate");
    assert.match(await page.locator("main #define-definition").inputValue(), /"Quality manager"/);
    await context.close();
  }
});

test("a record checked in the browser holds, and the about page shows its key", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  for (const [size, viewport, lang] of [["desktop", viewports.desktop, "en"], ["phone", viewports.phone, "fr"]]) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
    await page.locator("main a", { hasText: "Plans" }).first().click();
    await page.locator("main a", { hasText: "Zone A layout.png" }).first().click();
    await page.locator("main a[href$='/approvals']").click();
    const href = await page.locator("main a[href$='/record']").first().getAttribute("href");
    const record = await (await page.request.get(baseUrl + href)).text();
    const dir = mkdtempSync(join(tmpdir(), "record-"));
    writeFileSync(join(dir, "record.json"), record);
    await page.goto(baseUrl + "/approvals/verify");
    await chooseLanguage(page, lang);
    await page.locator("main input[name=record]").setInputFiles(join(dir, "record.json"));
    await page.locator("main form button[type=submit]").click();
    await page.waitForLoadState();
    const verdict = await page.locator("main #verdict").textContent();
    assert.match(verdict, lang === "en" ? /Everything holds/ : /Tout est conforme/);
    await page.screenshot({ path: join(shots, `approvals-verify-${lang}-${size}.png`), fullPage: true });
    await page.goto(baseUrl + "/about");
    const key = JSON.parse(record).signature.public_key;
    assert.match(await page.locator("main #signing-keys").textContent(), new RegExp(key.replace(/[+/=]/g, "\\$&")));
    await page.screenshot({ path: join(shots, `about-${lang}-${size}.png`), fullPage: true });
    await context.close();
  }
});

test("an approver away delegates, and the waiting list says to whom", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page } = await signedIn(env, "julien.moreau@lumen.example", viewports.phone);
  await page.goto(baseUrl + "/approvals");
  await chooseLanguage(page, "fr");
  const today = new Date();
  const day = (d) => new Date(today.getTime() + d * 86400000).toISOString().slice(0, 10);
  await page.locator("main #d-delegate").fill("sofia.almeida@lumen.example");
  await page.locator("main #d-from").fill(day(0));
  await page.locator("main #d-until").fill(day(10));
  await page.locator("main #delegation-form button[type=submit]").click();
  await page.waitForURL(/notice=delegated/);
  assert.match(await page.locator("main #delegation-now").textContent(), /Sofia Almeida décide à votre place/);
  await page.screenshot({ path: join(shots, "approvals-delegation-fr-phone.png"), fullPage: true });
  await page.locator("main button[value=end]").click();
  await page.waitForURL(/notice=undelegated/);
  await context.close();
});

test("the internal discussion is the host's alone: Lumen adds a note, Nordhavn never sees one", async (t) => {
  if (!browser) return t.skip("no Chromium");
  for (const [size, viewport, lang] of [["desktop", viewports.desktop, "en"], ["phone", viewports.phone, "fr"]]) {
    const inside = await signedIn(env, "sofia.almeida@lumen.example", viewport);
    await inside.page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
    await chooseLanguage(inside.page, lang);
    await inside.page.locator("main a", { hasText: "Plans" }).first().click();
    await inside.page.locator("main a", { hasText: "Zone A layout.png" }).first().click();
    await inside.page.locator("main a[href$='/approvals']").click();
    await inside.page.waitForURL(/\/files\/\d+\/approvals$/);
    const flowUrl = inside.page.url();
    const notes = inside.page.locator("main .approval-notes");
    assert.match(await notes.textContent(), lang === "en" ? /Internal discussion/ : /Discussion interne/);
    assert.match(await notes.textContent(), /Aisle 4 is 3 cm from the limit/);
    const words = lang === "en" ? "Racks confirmed with the site team." : "Rayonnages confirmés avec le site.";
    await notes.locator("textarea[name=body]").fill(words);
    await notes.locator("button[type=submit]").click();
    await inside.page.waitForURL(/notice=noted/);
    assert.match(await inside.page.locator("main .approval-notes").textContent(), new RegExp(words));
    await inside.page.screenshot({ path: join(shots, `approvals-notes-${lang}-${size}.png`), fullPage: true });
    await inside.context.close();

    const client = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    await client.page.goto(flowUrl);
    await chooseLanguage(client.page, lang);
    const text = await client.page.locator("main").textContent();
    assert.match(text, /Clearances checked against the conveyor specification/, "the public comment");
    assert.equal(await client.page.locator("main .approval-notes").count(), 0);
    assert.doesNotMatch(text, /Aisle 4|Racks confirmed|Rayonnages|Internal discussion|Discussion interne/);
    await client.page.screenshot({ path: join(shots, `approvals-public-${lang}-${size}.png`), fullPage: true });
    await client.context.close();
  }
});

test("search narrows to approved files", async (t) => {
  if (!browser) return t.skip("no Chromium");
  for (const [size, viewport, lang] of [["desktop", viewports.desktop, "en"], ["phone", viewports.phone, "fr"]]) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    await page.goto(baseUrl + "/search?q=layout");
    await chooseLanguage(page, lang);
    const approved = page.locator("main .search-states a", { hasText: lang === "en" ? "Approved" : "Validé" });
    await approved.first().click();
    await page.waitForURL(/state=approved/);
    const text = await page.locator("main").textContent();
    assert.match(text, /Zone A layout\.png/);
    await page.screenshot({ path: join(shots, `search-state-${lang}-${size}.png`), fullPage: true });
    await context.close();
  }
});

test("a signatory without an account opens the link with a code and signs the minutes", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const [, token] = await mailed(env, /\/sign\/([A-Za-z0-9_-]{43})/);
  const link = baseUrl + "/sign/" + token;

  // On a phone, in French: the link alone says where the code goes, nothing of the file.
  {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "fr-FR", viewport: viewports.phone });
    const page = await context.newPage();
    await page.goto(link);
    const text = await page.locator("main").textContent();
    assert.match(text, /Bonjour Henrik Dahl/);
    assert.match(text, /h•••@nordhavn\.example/);
    assert.doesNotMatch(text, /Steering/);
    await page.screenshot({ path: join(shots, "sign-code-fr-phone.png"), fullPage: true });
    await context.close();
  }

  // On a desktop, in English: the code from the mail opens the file and the decision.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "en-GB", viewport: viewports.desktop });
  const page = await context.newPage();
  await page.goto(link);
  await page.locator("main form[action$='/code'] button").click();
  await page.waitForURL(link);
  const [, code] = await mailed(env, /Your code is (\d{6})/);
  await page.locator("#sign-code").fill(code);
  await page.screenshot({ path: join(shots, "sign-code-en-desktop.png"), fullPage: true });
  await page.locator("main form[action$='/open'] button").click();
  await page.waitForURL(link);
  const text = await page.locator("main").textContent();
  assert.match(text, /2026-11-12 Steering committee\.md/);
  assert.match(text, /Signature by Nordhavn's director/);
  const res = await page.request.get(link + "/file");
  assert.equal(res.status(), 200);
  assert.match(await res.text(), /Steering committee/);
  await page.screenshot({ path: join(shots, "sign-open-en-desktop.png"), fullPage: true });
  await page.locator("#sign-comment").fill("Signed for Nordhavn.");
  await page.locator("main button[value=approve]").click();
  assert.match(await page.locator("main").textContent(), /Your decision is recorded/);
  await page.screenshot({ path: join(shots, "sign-done-en-desktop.png"), fullPage: true });
  await page.goto(link);
  assert.match(await page.locator("main").textContent(), /This link no longer works/);
  await context.close();

  // Sofia finds the minutes signed, by name.
  const inside = await signedIn(env, "sofia.almeida@lumen.example", viewports.desktop);
  await inside.page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
  await chooseLanguage(inside.page, "en");
  await inside.page.locator("main a", { hasText: "Meeting notes" }).first().click();
  const row = inside.page.locator("main table.files tr", { hasText: "2026-11-12 Steering committee.md" });
  assert.match(await row.textContent(), /Approved/);
  await inside.context.close();
});

test("a change order above 10,000 € waits for Nordhavn's budget owner, who approves it", async (t) => {
  if (!browser) return t.skip("no Chromium");
  // Erik, of Nordhavn, finds it in his list: Lumen's project manager approved it already.
  const erik = await signedIn(env, "erik.lund@nordhavn.example", viewports.desktop);
  await erik.page.goto(baseUrl + "/approvals");
  await chooseLanguage(erik.page, "en");
  const row = erik.page.locator("main table tbody tr", { hasText: "pick-to-light" });
  assert.equal(await row.count(), 1, "the change order waits for him");
  assert.match(await row.textContent(), /Nordhavn budget owner/);
  await row.locator("a").click();
  await erik.page.waitForURL(/\/requests\/\d+\/approvals$/);
  let text = await erik.page.locator("main").textContent();
  assert.match(text, /Change order approval/);
  assert.match(text, /Before the status “Approved”/);
  assert.match(text, /step 2 \/ 2: Nordhavn budget owner/);
  assert.match(text, /Estimate checked against the framework prices/);
  await erik.page.locator("main details summary").first().click();
  assert.match(await erik.page.locator("main pre.snapshot").first().textContent(), /"amount":1480000/);
  await erik.page.locator("main textarea[name=comment]").fill("Within the 2026 budget for zone B.");
  await erik.page.screenshot({ path: join(shots, "request-approval-en-desktop.png"), fullPage: true });
  await erik.page.locator("main button[value=approve]").click();
  await erik.page.waitForURL(/notice=decided/);
  text = await erik.page.locator("main").textContent();
  assert.match(text, /Your decision is recorded/);
  assert.equal(await erik.page.locator("main a[href$='/record']").count(), 1, "its signed record");
  // The request moved to the status it waited for.
  await erik.page.locator("main .page-head a").first().click();
  await erik.page.waitForURL(/\/requests\/\d+$/);
  assert.match(await erik.page.locator("main .badge").first().textContent(), /Approved/);
  assert.match(await erik.page.locator("main").textContent(), /Its approval was given: it moved to “Approved”/);
  await erik.page.screenshot({ path: join(shots, "request-approved-en-desktop.png"), fullPage: true });
  await erik.context.close();

  // On a phone, in French: the project manager reads the smaller one, settled by her alone.
  const sofia = await signedIn(env, "sofia.almeida@lumen.example", viewports.phone);
  await sofia.page.goto(baseUrl + "/requests?type=change");
  await chooseLanguage(sofia.page, "fr");
  await sofia.page.locator("main tr", { hasText: "Relabel aisle 3" }).locator("a").first().click();
  await sofia.page.waitForURL(/\/requests\/\d+$/);
  assert.match(await sofia.page.locator("main .badge").first().textContent(), /Approuvée/);
  await sofia.page.locator("main a[href$='/approvals']").first().click();
  await sofia.page.waitForURL(/\/requests\/\d+\/approvals$/);
  text = await sofia.page.locator("main").textContent();
  assert.match(text, /Avant le statut « Approuvée »/);
  assert.doesNotMatch(text, /Nordhavn budget owner/, "2,400 €: no budget owner step");
  await sofia.page.screenshot({ path: join(shots, "request-approval-fr-phone.png"), fullPage: true });
  await chooseLanguage(sofia.page, "en");
  await sofia.context.close();
});
