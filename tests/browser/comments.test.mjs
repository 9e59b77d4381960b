// Comments and reactions in headless Chromium against the demo: the client
// reads the answer to its question on the plan itself, reacts and writes;
// an employee cheers a post. Screenshots in English and French, on a phone
// and a desktop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, teardown, shots, signedIn, chooseLanguage, viewports } from "./harness.mjs";

let env, baseUrl;

before(async () => {
  env = await setup();
  if (env) ({ baseUrl } = env);
});

after(() => teardown(env));

async function openPlan(page) {
  await page.goto(baseUrl + "/spaces/nordhavn-warehouse-automation/files");
  const folder = page.locator("table.files a", { hasText: "Plans" });
  await Promise.all([page.waitForEvent("load"), folder.click()]);
  await Promise.all([page.waitForEvent("load"), page.locator("table.files a", { hasText: "Zone A layout" }).click()]);
}

test("the client reads the answer on the plan, reacts and comments", async (t) => {
  if (!env) return t.skip("no Chromium");
  for (const [size, viewport] of Object.entries(viewports)) {
    const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewport);
    for (const lang of ["en", "fr"]) {
      await openPlan(page);
      await chooseLanguage(page, lang);
      const comments = page.locator("#comments article.comment");
      assert.equal(await comments.count(), 2, "the question and its answer");
      assert.match(await comments.nth(1).textContent(), /conveyor allows it/);
      await page.locator("#comments").scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `comments-document-${lang}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
  const { context, page } = await signedIn(env, "ingrid.solberg@nordhavn.example", viewports.desktop);
  await openPlan(page);
  await chooseLanguage(page, "en");
  // A reaction on the answer, from the menu; pressed afterwards.
  const answer = page.locator("#comments article.comment").nth(1);
  await answer.locator("details.react-menu summary").click();
  await page.screenshot({ path: join(shots, "comments-react-menu-en-desktop.png") });
  await Promise.all([page.waitForEvent("load"), answer.locator('.react-choices button[title="Thanks"]').click()]);
  const pressed = page.locator("#comments article.comment").nth(1).locator('button.reaction[aria-pressed="true"]');
  assert.match(await pressed.textContent(), /1/);
  // A comment with a mention, chosen from the suggestions.
  await page.locator("#comment-body").pressSequentially("Great, thanks @sof");
  const option = page.locator(".mention-option", { hasText: "Sofia Almeida" });
  await option.waitFor();
  await option.click();
  await page.locator("#comment-body").pressSequentially("see you on the 12th.");
  await Promise.all([page.waitForEvent("load"), page.locator('#comment-form button[type="submit"]').click()]);
  assert.match(page.url(), /#comment-\d+$/);
  const last = page.locator("#comments article.comment").last();
  assert.match(await last.textContent(), /see you on the 12th/);
  assert.equal(await last.locator('a[href^="/people/"]', { hasText: "Sofia Almeida" }).count(), 1);
  // An empty comment is refused with a message, nothing lost.
  await page.locator("#comment-body").fill("   ");
  await page.locator("#comment-body").evaluate((el) => el.removeAttribute("required"));
  await Promise.all([page.waitForEvent("load"), page.locator('#comment-form button[type="submit"]').click()]);
  assert.match(await page.locator("#comment-error").textContent(), /Write something/);
  await page.screenshot({ path: join(shots, "comments-error-en-desktop.png"), fullPage: true });
  await context.close();
});

test("an employee cheers the year-end party post", async (t) => {
  if (!env) return t.skip("no Chromium");
  const { context, page } = await signedIn(env, "thomas.leroy@lumen.example", viewports.phone);
  await page.goto(baseUrl + "/news");
  await chooseLanguage(page, "fr");
  await Promise.all([page.waitForEvent("load"), page.locator(".news-item h3 a", { hasText: "End-of-year" }).click()]);
  const mine = page.locator('#comments > .reactions button.reaction[aria-pressed="true"]');
  assert.equal(await mine.count(), 1, "his celebration is pressed");
  assert.match(await mine.textContent(), /2/);
  await page.screenshot({ path: join(shots, "comments-news-fr-phone.png"), fullPage: true });
  // Taking it back.
  await Promise.all([page.waitForEvent("load"), mine.click()]);
  assert.equal(await page.locator('#comments > .reactions button.reaction[aria-pressed="true"]').count(), 0);
  await context.close();
});
