// Uploads through the library page in headless Chromium: several files at
// once, each with its own progress bar, a refused name reported on its line;
// a space manager restricts a folder and previews an image and Markdown in it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { setup, teardown, shots, signedIn as signedInAs, uploadThroughForm } from "./harness.mjs";

let env, server, baseUrl, demoPassword, adminOneTime, browser;

before(async () => {
  env = await setup();
  if (env) ({ server, baseUrl, demoPassword, adminOneTime, browser } = env);
});

after(() => teardown(env));

const signedIn = (email, viewport) => signedInAs(env, email, viewport);

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
  await uploadThroughForm(env, page);
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

// The demo's manager of the Verdier space: a space manager, not an
// administrator, is who files contracts and restricts who sees them. His saved
// language is French, so the test chooses each language with the switch.
const MANAGER = "lucas.bernard@lumen.example";
const SPACE = "verdier-supply-quality";

const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
};

// CRC-32 (IEEE), which every PNG chunk ends with; computed here because
// zlib.crc32 only exists from Node 20.15 and CI may run an older Node.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A real PNG (8-bit RGB, a diagonal gradient) larger than the 480-pixel
// thumbnail, so the server has to decode and scale it down.
function gradientPng(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3); // each row starts with filter type 0 (none)
    for (let x = 0; x < width; x++) {
      const p = row + 1 + x * 3;
      rows[p] = Math.round((255 * x) / (width - 1));
      rows[p + 1] = Math.round((255 * y) / (height - 1));
      rows[p + 2] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// A heading, a table (a Markdown extension the preview enables) and a script
// that the sanitizer must drop.
const NOTES = [
  "# Contrat cadre Verdier",
  "",
  "Conditions négociées pour 2027.",
  "",
  "| Pièce | Quantité | Prix unitaire |",
  "| --- | ---: | ---: |",
  "| Tôle inox 2 mm | 120 | 14,50 € |",
  "| Support soudé | 40 | 8,00 € |",
  "",
  "<script>alert(1)</script>",
  "",
].join("\n");

// Waits until the preview image has really been decoded (a broken image has
// naturalWidth 0), then says how large it is and how large it is drawn.
async function loadedThumbnail(page) {
  const img = page.locator("section.preview img.thumbnail");
  await img.waitFor();
  await page.waitForFunction(() => {
    const i = document.querySelector("section.preview img.thumbnail");
    return i && i.complete && i.naturalWidth > 0;
  });
  return img.evaluate((i) => ({ natural: i.naturalWidth, drawn: i.getBoundingClientRect().width }));
}

test("a space manager restricts a folder, uploads a photo and notes, and both preview in English and French", async (t) => {
  if (!browser) return t.skip("no Chromium");
  const { context, page } = await signedIn(MANAGER, viewports.desktop);
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(`${m.text()} (${page.url()})`));
  // Should the sanitizer let the script through, it would open a dialog.
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });

  await page.goto(baseUrl + `/spaces/${SPACE}/files`);
  await Promise.all([page.waitForEvent("load"), page.locator('form.lang-switch button[value="en"]').click()]);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await page.locator("#folder-name").fill("Contrats");
  await page.locator(`form[action="/spaces/${SPACE}/files/folders"] button[type=submit]`).click();
  await page.waitForURL(/notice=folder-created/);
  await page.locator("table.files a.folder-link", { hasText: "Contrats" }).click();
  await page.waitForURL(/[?&]folder=\d+/);
  const folderId = new URL(page.url()).searchParams.get("folder");
  const folderUrl = baseUrl + `/spaces/${SPACE}/files?folder=${folderId}`;

  // The folder's own card, with everything a manager may do to it.
  assert.equal(await page.locator("#folder-settings-title").isVisible(), true, "the “This folder” card");
  assert.equal((await page.locator("#folder-settings-title").textContent()).trim(), "This folder");
  for (const action of ["rename", "move", "restrict", "delete"]) {
    const form = page.locator(`form[action="/folders/${folderId}/${action}"]`);
    assert.equal(await form.isVisible(), true, `the ${action} form is shown`);
  }
  // It may move into the demo's other folders, never into itself.
  const targets = await page.locator("#folder-move option").allTextContents();
  assert.ok(targets.length > 0 && !targets.includes("Contrats"), targets.join(", "));
  assert.equal(await page.locator("#restrict-form").getAttribute("action"), `/folders/${folderId}/restrict`);

  await page.locator("#min-role").selectOption("manager");
  await page.locator("#restrict-form button[type=submit]").click();
  await page.waitForURL(/notice=folder-restricted/);
  assert.equal((await page.locator("p.notice[role=status]").textContent()).trim(), "Who may see this folder was saved.");
  assert.equal((await page.locator("nav.breadcrumbs .badge").textContent()).trim(), "restricted");
  assert.equal(await page.locator("#min-role").inputValue(), "manager", "the saved restriction is shown");

  // Both files in one go through the page's form; it reloads when all are in.
  await page.setInputFiles("#files", [
    { name: "photo.png", mimeType: "image/png", buffer: gradientPng(640, 400) },
    { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from(NOTES) },
  ]);
  // The page reloads when every upload succeeded; a failed one says why in the list.
  const loaded = page.waitForEvent("load", { timeout: 60000 }).then(() => "loaded", () => "no reload");
  await page.locator("#upload-form button[type=submit]").click();
  const failedItem = page.locator("#upload-list .upload-failed").first();
  const failed = failedItem
    .waitFor({ timeout: 60000 })
    .then(async () => `failed: ${await failedItem.textContent()}`, () => "no reload");
  assert.equal(await Promise.race([loaded, failed]), "loaded");
  const docLink = (name) => page.locator("table.files a[href^='/files/']", { hasText: name });
  await docLink("notes.md").waitFor();
  const photoUrl = baseUrl + (await docLink("photo.png").getAttribute("href"));
  const notesUrl = baseUrl + (await docLink("notes.md").getAttribute("href"));

  // The photo is shown as its thumbnail: decoded, and no wider than 480 pixels.
  await page.goto(photoUrl);
  const thumb = await loadedThumbnail(page);
  assert.ok(thumb.natural > 0 && thumb.natural <= 480, `thumbnail width ${thumb.natural}`);
  assert.ok(thumb.drawn <= 480, `thumbnail drawn ${thumb.drawn} pixels wide`);

  // The notes are rendered, and the script is gone rather than escaped or run.
  await page.goto(notesUrl);
  const md = page.locator("section.markdown");
  assert.equal((await md.locator("h1").textContent()).trim(), "Contrat cadre Verdier");
  assert.equal(await md.locator("table").count(), 1);
  assert.equal(await md.locator("table tbody tr").count(), 2);
  assert.equal(await md.locator("script").count(), 0, "no script element in the preview");

  // Screenshots in both languages at both sizes. The language switch saves the
  // choice on the person, so each pass sets its language explicitly; the last
  // pass leaves him in French, his demo preference.
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    for (const lang of ["en", "fr"]) {
      await page.goto(folderUrl);
      await Promise.all([page.waitForEvent("load"), page.locator(`form.lang-switch button[value="${lang}"]`).click()]);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      await page.goto(folderUrl);
      assert.equal(await page.locator("#folder-settings-title").isVisible(), true);
      await page.screenshot({ path: join(shots, `documents-folder-${lang}-${size}.png`), fullPage: true });
      await page.goto(photoUrl);
      await loadedThumbnail(page);
      await page.screenshot({ path: join(shots, `documents-photo-${lang}-${size}.png`), fullPage: true });
      await page.goto(notesUrl);
      await md.locator("table").waitFor();
      await page.screenshot({ path: join(shots, `documents-markdown-${lang}-${size}.png`), fullPage: true });
    }
  }

  assert.deepEqual(problems, []);
  await context.close();
});
