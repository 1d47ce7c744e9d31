// Congress day in the browser: the ward's office creates a members' congress from the unit
// page (after a bad term is refused at its field), summons the members, and checks people in
// by typing badge numbers and Enter; a second browser open on the projector view sees the
// present count change without reloading.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startDaihoi, launchBrowser, newPage, login, screenshot } from "./lib.mjs";

let server;
let browser;
// Set by the first test: the congress the second one scans badges for.
let congressUrl = "";

before(async () => {
  server = await startDaihoi();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

function unexpected(page, ...statuses) {
  return page.problems.filter(
    (problem) => !statuses.some((status) => problem.includes(`status of ${status}`)),
  );
}

async function submit(page, selector = "form.form button[type=submit]") {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
}

test("the ward's office creates a congress, summons the members and checks them in while the projector follows live", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "vanphong.himlam");
  await page.goto(`${server.base}/search?q=Him+Lam`);
  await Promise.all([page.waitForLoadState("load"), page.click("a:text('Đảng bộ phường Him Lam')")]);
  const unitUrl = page.url();

  // The unit page loads its congress section.
  await page.waitForSelector(".congress-section a:text('Tạo đại hội')");
  await Promise.all([page.waitForLoadState("load"), page.click(".congress-section a:text('Tạo đại hội')")]);
  assert.equal(await page.inputValue("#kind"), "delegates", "a ward of 200 members or more holds a delegates' congress");
  await page.selectOption("#kind", "members");
  await page.fill("#ordinal", "13");
  await page.fill("#term_start", "2020");
  await page.fill("#term_end", "2019");
  await page.fill("#official_starts", "10/06/2020");
  await page.fill("#official_venue", "Hội trường Đảng ủy phường");
  await submit(page);
  assert.match(await page.textContent("#term_end-error"), /phải sau năm bắt đầu/);
  assert.equal(await page.getAttribute("#term_end", "aria-invalid"), "true");
  await screenshot(page, "congress-form-error");
  await page.fill("#term_end", "2025");
  await submit(page);
  assert.match(await page.textContent("h1"), /Đại hội Đảng bộ phường Him Lam lần thứ XIII, nhiệm kỳ 2020 - 2025/);
  await screenshot(page, "congress-overview");

  // Summon the members: the roster in Vietnamese name order with each status.
  await Promise.all([page.waitForLoadState("load"), page.click(".congress-nav a:text('Danh sách triệu tập')")]);
  await submit(page, "button:text('Triệu tập đảng viên của đơn vị')");
  assert.match(await page.textContent(".notice-ok"), /Đã triệu tập/);
  const firstBadge = (await page.locator("table.roster tbody tr td.num").first().textContent()).trim();
  const official = page.locator("table.roster tbody tr:not(:has(.tag)) td.num");
  const badges = [];
  for (let i = 0; i < 3; i++) badges.push((await official.nth(i).textContent()).trim());
  assert.ok(firstBadge.length >= 3);
  await screenshot(page, "congress-roster");

  // A second browser (the hall's projector) shows attendance, large type, no controls.
  const hall = await newPage(browser, { width: 1600, height: 900 });
  await login(hall, server.base, "vanphong.himlam");
  congressUrl = page.url().replace(/\/people.*$/, "");
  await hall.goto(`${congressUrl}/projector`);
  const present = hall.locator("#projector-panel [data-figure=present]");
  const before = Number(await present.textContent());
  assert.equal(before, 0);
  assert.equal(await hall.locator("button, form, nav").count(), 0, "the projector has no controls");

  // Check-in: type the badge number and press Enter; the field is ready for the next one.
  await Promise.all([page.waitForLoadState("load"), page.click(".congress-nav a:text('Điểm danh')")]);
  await page.waitForSelector("#badge_no:focus");
  for (const badge of badges) {
    await page.fill("#badge_no", badge);
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith("/checkin") && response.request().method() === "POST"),
      page.press("#badge_no", "Enter"),
    ]);
    await page.waitForSelector("#checkin-result .checkin-ok");
    assert.equal(await page.inputValue("#badge_no"), "");
  }
  // The same badge again says so, and counts once.
  await page.fill("#badge_no", badges[0]);
  await page.press("#badge_no", "Enter");
  await page.waitForSelector("#checkin-result .checkin-again");
  // A badge that does not exist: a clear message.
  await page.fill("#badge_no", "99999");
  await page.press("#badge_no", "Enter");
  await page.waitForSelector("#checkin-result .checkin-error");
  assert.match(await page.textContent("#checkin-result"), /Không có thẻ đại biểu số 99999/);
  // The panel on this page follows (htmx polling), with D and its derivation.
  await page.waitForFunction(() => document.querySelector("#attendance [data-figure=present]")?.textContent.trim() === "3");
  assert.match(await page.textContent("#attendance .majority-base"), /Đảng viên chính thức được triệu tập/);
  await screenshot(page, "congress-checkin");
  // Without a camera (none here, and no permission) the page says so; typing still works.
  await page.click("#scan-start");
  await page.waitForFunction(() => document.querySelector("#scan-message").textContent.includes("Không mở được camera"));
  assert.equal(await page.isVisible("#scan-start"), false);

  // The projector, never reloaded, shows 3 present.
  const navigations = [];
  hall.on("framenavigated", (frame) => { if (frame === hall.mainFrame()) navigations.push(frame.url()); });
  await hall.waitForFunction(
    () => document.querySelector("#projector-panel [data-figure=present]")?.textContent.trim() === "3",
    null,
    { timeout: 10_000 },
  );
  assert.deepEqual(navigations, [], "the projector updated without a reload");
  await screenshot(hall, "congress-projector");

  assert.deepEqual(unexpected(page, 422), []);
  assert.deepEqual(unexpected(hall), []);
  await page.context().close();
  await hall.context().close();
  assert.ok(unitUrl.includes("/units/"));
});

// A camera pointed at a printed badge: Chromium's fake camera plays a picture of badge 001 cut
// from the badge sheet PDF; the page decodes its QR code (jsQR) and checks the holder in.
test("a badge held up to the camera checks its holder in", { timeout: 600_000 }, async () => {
  assert.ok(congressUrl, "the first test made the congress");
  const dir = mkdtempSync(join(tmpdir(), "daihoi-qr-"));
  const page = await newPage(browser);
  await login(page, server.base, "vanphong.himlam");
  // 758 badges: slow in a debug build on a busy machine.
  const response = await page.request.get(`${congressUrl}/badges.pdf`, { timeout: 300_000 });
  assert.equal(response.status(), 200);
  writeFileSync(join(dir, "badges.pdf"), await response.body());
  // The first badge of the A4 sheet (10 mm margin, 95 × 69 mm cells), grey, at 150 dpi:
  // a 640 × 480 picture from the top-left margin.
  execFileSync("pdftoppm", [
    "-gray", "-singlefile", "-r", "150", "-f", "1", "-l", "1", "-x", "59", "-y", "59", "-W", "640", "-H", "480",
    join(dir, "badges.pdf"), join(dir, "page"),
  ]);
  const pgm = readFileSync(join(dir, "page.pgm"));
  // PGM (P5): three header fields after the magic number, then one byte per pixel.
  let offset = 0;
  const fields = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(pgm[offset]))) offset++;
    let token = "";
    while (!/\s/.test(String.fromCharCode(pgm[offset]))) token += String.fromCharCode(pgm[offset++]);
    fields.push(token);
  }
  offset++;
  assert.deepEqual(fields, ["P5", "640", "480", "255"]);
  writeFileSync(join(dir, "badge.gray"), pgm.subarray(offset, offset + 640 * 480));
  await page.context().close();
  // A Y4M video (4:2:0): the grey picture as luma, neutral chroma; Chromium loops it.
  const luma = readFileSync(join(dir, "badge.gray"));
  const chroma = Buffer.alloc((640 / 2) * (480 / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const video = Buffer.concat([Buffer.from("YUV4MPEG2 W640 H480 F5:1 Ip A1:1 C420jpeg\n"), frame, frame]);
  writeFileSync(join(dir, "badge.y4m"), video);
  const camera = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${join(dir, "badge.y4m")}`,
    ],
  });
  try {
    const context = await camera.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
    await context.grantPermissions(["camera"], { origin: server.base });
    const desk = await context.newPage();
    const problems = [];
    desk.on("pageerror", (error) => problems.push(error.message));
    await login(desk, server.base, "vanphong.himlam");
    await desk.goto(`${congressUrl}/checkin`);
    await desk.click("#scan-start");
    await desk.waitForSelector("#checkin-result .checkin-result", { timeout: 20_000 });
    const result = await desk.textContent("#checkin-result");
    assert.match(result, /Thẻ số 001/);
    assert.match(result, /Đã điểm danh/);
    await screenshot(desk, "congress-camera");
    await desk.click("#scan-stop");
    assert.deepEqual(problems, []);
  } finally {
    await camera.close();
  }
});
