// A space's home in headless Chromium against the demo: the project manager
// sees what happened lately, adds a colleague with the people picker, and
// invites a client contact without any organization or role chosen for her —
// the organization owning the address is proposed, and a wrong one must be
// confirmed. Screenshots in English and French, on a phone and a desktop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn as signedInAs, chooseLanguage } from "./harness.mjs";

let env, baseUrl;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl } = env);
});

after(() => teardown(env));

const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
};
const SPACE = "/spaces/nordhavn-warehouse-automation";
const signedIn = (email, viewport) => signedInAs(env, email, viewport);

test("the space's home tells what happened, in both languages and sizes", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn("sofia.almeida@lumen.example", viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(baseUrl + SPACE);
      await chooseLanguage(page, lang);
      const activity = page.locator("#activity-title");
      assert.equal(await activity.textContent(), lang === "fr" ? "Activité récente" : "Recent activity");
      // The client's new version of the meeting notes is in the activity.
      const lines = await page.locator("ol.activity li").allTextContents();
      assert.ok(lines.some((l) => l.includes("Ingrid Solberg") && l.includes("Steering committee")), lines.join("\n"));
      assert.ok(await page.locator("#links a", { hasText: /Project plans/ }).count() === 1);
      await page.screenshot({ path: join(shots, `space-home-${lang}-${size}.png`), fullPage: true });
    }
    await chooseLanguage(page, "en");
    await context.close();
  }
});

test("inviting proposes the address's organization and never chooses for the manager", async (t) => {
  if (!env) return t.skip("no Chromium");
  const { context, page } = await signedIn("sofia.almeida@lumen.example", viewports.desktop);
  await page.goto(baseUrl + SPACE);
  // Nothing is chosen: the placeholder is what the selects show.
  assert.equal(await page.locator("#invite-org").inputValue(), "");
  assert.equal(await page.locator("#invite-role").inputValue(), "");
  // Organizations already in the space come first.
  const groups = await page.locator("#invite-org optgroup").evaluateAll((gs) => gs.map((g) => g.label));
  assert.deepEqual(groups, ["Already in this space", "Other organizations"]);
  const first = await page.locator("#invite-org optgroup").first().locator("option").allTextContents();
  assert.deepEqual(first, ["Nordhavn Logistics"]);

  await page.locator("#invite-email").fill("nils.berg@nordhavn.example");
  await page.locator("#invite-name").fill("Nils Berg");
  await page.locator("#invite-role").selectOption("contributor");
  // The browser itself asks for the organization first (the select is required).
  const valid = await page.locator("#invite-org").evaluate((s) => s.checkValidity());
  assert.equal(valid, false);
  // Sent without it anyway (as a form without JavaScript could be): the
  // address's organization is proposed, nothing is created.
  await page.locator("#invite-org").evaluate((s) => s.removeAttribute("required"));
  await Promise.all([page.waitForEvent("load"), page.locator("#invite button[type=submit]").click()]);
  assert.match(await page.locator("#invite-error").textContent(), /belong to Nordhavn Logistics/);
  assert.equal(await page.locator("#invite-org").inputValue(), "nordhavn-logistics");
  // Choosing the supplier instead must be confirmed.
  await page.locator("#invite-org").selectOption("atelier-verdier");
  await page.locator("#invite-role").selectOption("contributor");
  await Promise.all([page.waitForEvent("load"), page.locator("#invite button[type=submit]").click()]);
  assert.match(await page.locator("#invite-confirm").textContent(), /is an address of Nordhavn Logistics, not of Atelier Verdier/);
  await page.screenshot({ path: join(shots, "space-invite-confirm-en-desktop.png"), fullPage: true });
  // Back to the right organization: sent.
  await page.locator("#invite-org").selectOption("nordhavn-logistics");
  await page.locator("#invite-role").selectOption("reader");
  await page.locator("#invite-confirm input[type=checkbox]").evaluate((c) => c.removeAttribute("required"));
  await Promise.all([page.waitForEvent("load"), page.locator("#invite button[type=submit]").click()]);
  assert.match(await page.locator("p.notice").textContent(), /Invitation sent to nils.berg@nordhavn.example/);
  await context.close();
});

test("the people picker offers colleagues as one types", async (t) => {
  if (!env) return t.skip("no Chromium");
  const { context, page } = await signedIn("sofia.almeida@lumen.example", viewports.phone);
  await page.goto(baseUrl + SPACE);
  await page.locator("#add-person").pressSequentially("Lucas", { delay: 30 });
  const option = page.locator("#add-person-options option[value='lucas.bernard@lumen.example']");
  await option.waitFor({ state: "attached", timeout: 5000 });
  await page.locator("#add-person").fill("lucas.bernard@lumen.example");
  await page.locator("#add-role").selectOption("reader");
  await Promise.all([page.waitForEvent("load"), page.locator("#add button[type=submit]").click()]);
  assert.match(await page.locator("p.notice").textContent(), /Lucas Bernard was added to this space/);
  await page.screenshot({ path: join(shots, "space-added-en-phone.png"), fullPage: true });
  await context.close();
});
