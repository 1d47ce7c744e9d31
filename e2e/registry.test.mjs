// The organisation registry in the browser: browse the tree (expand a node, follow the
// breadcrumbs), create a unit with a bad value then fix it, add a member and find her with and
// without accents, read the audit entry, log out; a user of another unit gets the 404 page.
// The data each test needs is created through the UI on the demo database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDaihoi, launchBrowser, newPage, login, screenshot } from "./lib.mjs";

let server;
let browser;
// Set by the first test, used by the access test.
let cityPath = "";

before(async () => {
  server = await startDaihoi();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

// Console problems other than the error statuses the test asks for on purpose.
function unexpected(page, ...statuses) {
  return page.problems.filter(
    (problem) => !statuses.some((status) => problem.includes(`status of ${status}`)),
  );
}

async function submit(page, selector = "form.form button[type=submit]") {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
}

test("the organisation board browses, creates a unit after fixing an error, finds a member and reads the audit log", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");

  // The tree of the user's subtree: the city, unfolded at its first level.
  await page.click("nav.primary-nav >> text=Tổ chức đảng");
  await page.waitForURL(/\/units$/);
  const city = page.locator(".tree-root > li > a").first();
  assert.equal(await city.textContent(), "Đảng bộ thành phố Điện Biên Phủ");
  await screenshot(page, "registry-tree");
  await Promise.all([page.waitForLoadState("load"), page.click(".tree-root a:text('Đảng bộ phường Him Lam')")]);
  assert.match(await page.textContent("h1"), /Đảng bộ phường Him Lam/);

  // Create a cell with two official members: refused at the field, nothing stored.
  await Promise.all([page.waitForLoadState("load"), page.click("text=Thêm tổ chức đảng trực thuộc")]);
  await page.fill("#name", "Chi bộ Khu tái định cư Noong Bua");
  assert.equal(await page.inputValue("#kind"), "cell");
  assert.ok(await page.isChecked("input[name=parent_id]"), "the parent is chosen already");
  await page.fill("#declared_official", "2");
  await page.fill("#valid_from", "07/01/2020");
  await submit(page);
  const summary = page.locator(".error-summary");
  assert.match(await summary.textContent(), /ít nhất 3 đảng viên chính thức/);
  assert.match(await page.textContent("#declared_official-error"), /ít nhất 3/);
  assert.equal(await page.getAttribute("#declared_official", "aria-invalid"), "true");
  assert.equal(await page.inputValue("#name"), "Chi bộ Khu tái định cư Noong Bua", "the typed name is kept");
  assert.equal(await page.evaluate(() => document.activeElement.className), "error-summary");
  await screenshot(page, "registry-unit-error");
  // The summary links to the field.
  await page.click(".error-summary a");
  assert.equal(await page.evaluate(() => document.activeElement.id), "declared_official");

  // Fixed: stored, and the new unit's page says so.
  await page.fill("#declared_official", "12");
  await submit(page);
  await page.waitForURL(/\/units\/\d+\?done=created$/);
  assert.match(await page.textContent(".notice-ok"), /Đã thêm tổ chức đảng/);
  assert.equal(await page.textContent("h1"), "Chi bộ Khu tái định cư Noong Bua");
  assert.match(await page.textContent(".notice"), /./);
  const cellPath = new URL(page.url()).pathname;

  // A member, with a birth date in the Vietnamese way.
  await Promise.all([page.waitForLoadState("load"), page.click(".actions >> text=Thêm đảng viên")]);
  await page.fill("#full_name", "Lò Thị Hà");
  await page.fill("#birth_date", "02/04/1990");
  await page.selectOption("#sex", "female");
  await page.fill("#ethnicity", "Thái");
  await page.fill("#joined_date", "19/05/2015");
  await page.selectOption("#membership", "probationary");
  await submit(page);
  await page.waitForURL(/\/members\/\d+\?done=created$/);
  assert.match(await page.textContent("dl.summary-list"), /02\/04\/1990 \(\d+ tuổi\)/);

  // Search from the header, without accents, with them, and by the start of the given name.
  for (const query of ["lo thi ha", "Lò Thị Hà"]) {
    await page.fill("#header-q", query);
    await Promise.all([page.waitForLoadState("load"), page.press("#header-q", "Enter")]);
    assert.match(await page.textContent("#member-results + ul"), /Lò Thị Hà/, `search “${query}”`);
  }
  // Two letters without accents find the demo's many people called Hà (the new one among them
  // need not be on the first page).
  await page.fill("#header-q", "ha");
  await Promise.all([page.waitForLoadState("load"), page.press("#header-q", "Enter")]);
  assert.match(await page.textContent("#member-results + ul"), / Hà\b|\bHà /, "search “ha”");
  await page.fill("#header-q", "lo thi ha");
  await Promise.all([page.waitForLoadState("load"), page.press("#header-q", "Enter")]);
  await screenshot(page, "registry-search");
  await Promise.all([page.waitForLoadState("load"), page.click("#member-results + ul >> text=Chi bộ Khu tái định cư Noong Bua")]);
  assert.equal(new URL(page.url()).pathname, cellPath);

  // Breadcrumbs lead back up to the city.
  const crumbs = await page.locator("nav.breadcrumbs li").allTextContents();
  assert.deepEqual(crumbs.map((c) => c.trim()), [
    "Tổ chức đảng", "Đảng bộ thành phố Điện Biên Phủ", "Đảng bộ phường Him Lam", "Chi bộ Khu tái định cư Noong Bua",
  ]);
  await Promise.all([page.waitForLoadState("load"), page.click("nav.breadcrumbs >> text=Đảng bộ thành phố Điện Biên Phủ")]);
  cityPath = new URL(page.url()).pathname;
  assert.match(await page.textContent("h1"), /Đảng bộ thành phố Điện Biên Phủ/);

  // Expand the tree: the city, then the ward, each fetched when first opened, by keyboard too.
  const cityToggle = page.locator(`.tree-root button[aria-controls="tree-${cityPath.split("/").pop()}"]`);
  assert.equal(await cityToggle.getAttribute("aria-expanded"), "false");
  await cityToggle.click();
  // The Him Lam ward's node among the city's units (the demo city has about fifty).
  const wardToggle = page.locator(
    "xpath=//ul[contains(@class,'tree-root')]//li[a[normalize-space()='Đảng bộ phường Him Lam']]/button[contains(@class,'tree-toggle')]",
  );
  await wardToggle.waitFor();
  assert.equal(await cityToggle.getAttribute("aria-expanded"), "true");
  await wardToggle.focus();
  await page.keyboard.press("Enter");
  await page.locator(".tree-root a:text('Chi bộ Khu tái định cư Noong Bua')").waitFor();
  assert.equal(await wardToggle.getAttribute("aria-expanded"), "true");
  await wardToggle.click();
  assert.equal(await wardToggle.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator(".tree-root a:text('Chi bộ Khu tái định cư Noong Bua')").isVisible(), false);
  await wardToggle.click();
  await screenshot(page, "registry-unit-desktop");

  // The audit log of the city shows the change, with who made it.
  await Promise.all([page.waitForLoadState("load"), page.click(".actions >> text=Nhật ký thay đổi")]);
  const entries = page.locator(".audit-entry");
  const created = entries.filter({ hasText: "Thêm tổ chức đảng" }).filter({ hasText: "Chi bộ Khu tái định cư Noong Bua" });
  assert.equal(await created.count(), 1);
  assert.match(await created.textContent(), /bantochuc/);
  assert.match(await created.textContent(), /Chi bộ/);
  assert.match(await entries.first().textContent(), /Thêm đảng viên/, "newest first");
  await screenshot(page, "registry-audit");

  await page.click("text=Đăng xuất");
  await page.waitForURL(/\/login/);
  assert.deepEqual(unexpected(page, 422), []);
});

test("the unit page reads well on a phone", async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await login(page, server.base, "bantochuc");
  await page.goto(server.base + cityPath);
  assert.match(await page.textContent("h1"), /Điện Biên Phủ/);
  // Nothing wider than the screen but the tables, which scroll inside their frame.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await screenshot(page, "registry-unit-phone");
  await page.goto(server.base + "/members");
  await screenshot(page, "registry-members-phone");
  assert.deepEqual(page.problems, []);
});

test("a user of another unit gets the not-found page for the city", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "vanphong.himlam");
  const response = await page.goto(server.base + cityPath);
  assert.equal(response.status(), 404);
  assert.match(await page.textContent("h1"), /Không tìm thấy/);
  assert.doesNotMatch(await page.textContent("main"), /Điện Biên Phủ/);
  await screenshot(page, "registry-not-found");
  // Their own ward opens, without the city in the breadcrumbs.
  await page.goto(server.base + "/units");
  await Promise.all([page.waitForLoadState("load"), page.click(".tree-root > li > a")]);
  assert.match(await page.textContent("h1"), /Him Lam/);
  assert.doesNotMatch(await page.textContent("nav.breadcrumbs"), /Điện Biên Phủ/);
  assert.equal(await page.locator("text=Sửa thông tin").count(), 0, "a clerk does not edit units");
  assert.deepEqual(unexpected(page, 404), []);
});

test("the administrator creates an account after a password error and disables it", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "admin");
  await page.click("nav.primary-nav >> text=Tài khoản");
  await page.waitForURL(/\/admin\/users$/);
  assert.match(await page.textContent("table"), /bantochuc/);
  await screenshot(page, "registry-accounts");
  await Promise.all([page.waitForLoadState("load"), page.click("text=Tạo tài khoản")]);
  await page.fill("#username", "thuky.himlam");
  await page.fill("#display_name", "Thư ký Đảng ủy phường Him Lam");
  await page.fill("#password", "ngan");
  await page.fill("#password_confirm", "ngan");
  await page.selectOption("#role", "viewer");
  await page.fill("#grant_q", "phuong him lam");
  await page
    .locator("#grant_q-results .choice", { hasText: "Đảng bộ phường Him Lam" })
    .locator("input[type=radio]")
    .first()
    .check();
  await submit(page);
  assert.match(await page.textContent("#password-error"), /ít nhất 10 ký tự/);
  assert.equal(await page.inputValue("#username"), "thuky.himlam");
  await screenshot(page, "registry-account-error");
  await page.fill("#password", "mat-khau-du-dai");
  await page.fill("#password_confirm", "mat-khau-du-dai");
  await submit(page);
  await page.waitForURL(/\/admin\/users\/\d+\?done=created$/);
  assert.match(await page.textContent("main table"), /Người xem.*Đảng bộ phường Him Lam/s);
  page.once("dialog", (dialog) => dialog.accept());
  await Promise.all([page.waitForLoadState("load"), page.click("text=Khóa tài khoản")]);
  assert.match(await page.textContent(".notice-ok"), /Đã khóa tài khoản/);
  await screenshot(page, "registry-account");
  // The disabled account cannot log in.
  const other = await newPage(browser);
  await login(other, server.base, "thuky.himlam", "mat-khau-du-dai");
  assert.match(await other.textContent(".error-summary"), /không đúng/);
  assert.deepEqual(unexpected(page, 422), []);
});
