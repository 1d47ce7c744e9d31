// Personnel in the browser: the live structure-target panel of the Him Lam ward congress and
// the city congress's delegate allocation page (preview with another method).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDaihoi, launchBrowser, newPage, login, screenshot } from "./lib.mjs";

let server;
let browser;

before(async () => {
  server = await startDaihoi();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

test("the target panel follows the ticked candidates", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.click("nav.primary-nav >> text=Nhân sự");
  await page.click("ul.personnel-congresses a:has-text('phường Him Lam'):has-text('2020')");
  await page.waitForSelector("#targets [data-target=surplus]");
  // 17 candidates for 15 members: the surplus (17 to 17) is met.
  assert.match(await page.getAttribute("#targets [data-target=surplus]", "class"), /\bmet\b/);
  assert.match(await page.textContent("#targets h2"), /17 người/);
  await screenshot(page, "personnel-targets");
  // Untick one candidate: the panel is recomputed without them and the surplus is missed.
  const box = page.locator("#list input[name=in]").first();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/personnel/targets") && r.url().includes("list=1")),
    box.uncheck(),
  ]);
  await page.waitForFunction(() => /16 người/.test(document.querySelector("#targets h2").textContent));
  assert.match(await page.getAttribute("#targets [data-target=surplus]", "class"), /\bmissed\b/);
  // People counted are listed under each target.
  const women = page.locator("#targets tr.personnel-target", { hasText: "Cán bộ nữ" }).first();
  await women.locator("summary").click();
  assert.match(await women.textContent(), /Nguyễn Thị Hương/);
  await screenshot(page, "personnel-targets-unticked");
  assert.deepEqual(page.problems, []);
});

test("the allocation page shows the saved table and previews another method", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.goto(server.base + "/personnel");
  await page.click("li:has-text('thành phố Điện Biên Phủ') >> text=Phân bổ đại biểu");
  await page.waitForSelector("table.personnel-saved");
  const totals = await page.$$eval("table.personnel-saved tbody tr", (rows) =>
    rows.map((row) => Number(row.children[5].textContent)),
  );
  assert.equal(totals.reduce((a, b) => a + b, 0), 200);
  await page.selectOption("#method", "dhondt");
  await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Tính thử')")]);
  await page.waitForSelector("table.personnel-explanation");
  assert.match(page.url(), /method=dhondt/);
  const last = await page.$eval("table.personnel-explanation tbody tr:last-child", (row) => row.children[8].textContent);
  assert.equal(last.trim(), "200");
  await screenshot(page, "personnel-allocation");
  assert.deepEqual(page.problems, []);
});
