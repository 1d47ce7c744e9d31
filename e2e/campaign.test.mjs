// The campaign timetable in the browser: the demo campaign's dashboard shows its late ward;
// a batch of grassroots units is rescheduled in the table (one refused cell first, nothing
// saved), and on a later day the units not held appear late on the dashboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync, mkdirSync } from "node:fs";
import { startDaihoi, launchBrowser, newPage, login, screenshot, SCREENSHOTS } from "./lib.mjs";

let server;
let browser;
// The demo writes the Central Committee, the province, then the city: the city is unit 3.
// Its campaign is the first one.
const CITY = 3;
const CAMPAIGN = 1;

before(async () => {
  server = await startDaihoi();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

function row(page, name) {
  return page.locator("table.schedule tbody tr", { has: page.locator(`th a:text-is("${name}")`) }).first();
}

test("a batch of units is scheduled in the table and a late unit shows on the dashboard", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.click("nav.primary-nav >> text=Đại hội các cấp");
  assert.match(await page.textContent("main"), /Đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025/);

  // The demo's day: one late ward, with its reason.
  await page.goto(`${server.base}/campaigns/${CAMPAIGN}?unit=${CITY}`);
  assert.match(await page.textContent("#late-units"), /Đảng bộ xã Pá Khoang[\s\S]*Quá ngày dự kiến mà chưa tổ chức đại hội/);
  assert.equal((await page.textContent("#late-count .count")).trim(), "1");
  assert.ok(await page.isVisible("svg.timeline"));
  await screenshot(page, "campaign-dashboard");

  // The grassroots units of the city in the table.
  await page.goto(`${server.base}/campaigns/${CAMPAIGN}/schedule?unit=${CITY}&level=grassroots`);
  // The late ward and the first two units still preparing their congress.
  const preparing = page.locator("table.schedule tbody tr", { has: page.locator(".status-preparing") });
  const names = ["Đảng bộ xã Pá Khoang"];
  for (let index = 0; names.length < 3; index += 1) {
    const name = (await preparing.nth(index).locator("th a").textContent()).trim();
    if (!names.includes(name)) names.push(name);
  }
  const late = row(page, names[0]);
  await late.locator("input[name^=start_]").fill("2020-06-29");
  await late.locator("input[name^=end_]").fill("2020-06-26");
  await Promise.all([page.waitForLoadState("load"), page.click("#save-schedule")]);
  assert.match(await page.textContent("#schedule-errors"), /Không dòng nào được lưu/);
  assert.match(await row(page, names[0]).locator("td.cell-error").first().textContent(), /Ngày bế mạc trước ngày khai mạc/);
  await screenshot(page, "campaign-schedule-refused");
  await page.screenshot({ path: join(SCREENSHOTS, "campaign-schedule-top.png") });

  // Fix the cell and move two more units in the same save.
  await row(page, names[0]).locator("input[name^=end_]").fill("2020-06-29");
  for (const [name, day] of [[names[1], "2020-07-01"], [names[2], "2020-07-02"]]) {
    const line = row(page, name);
    await line.locator("input[name^=start_]").fill(day);
    await line.locator("input[name^=end_]").fill(day);
  }
  await Promise.all([page.waitForLoadState("load"), page.click("#save-schedule")]);
  assert.match(await page.textContent("#saved"), /Đã lưu\. Số dòng thay đổi:\s*3/);
  assert.equal(await row(page, names[1]).locator("input[name^=start_]").inputValue(), "2020-07-01");
  await screenshot(page, "campaign-schedule-saved");

  // On 3 July none of the three has met: all late on the dashboard.
  await page.goto(`${server.base}/campaigns/${CAMPAIGN}?unit=${CITY}&on=2020-07-03`);
  const lateList = await page.textContent("#late-units");
  for (const name of names) assert.match(lateList, new RegExp(name));
  assert.ok(Number((await page.textContent("#late-count .count")).trim()) >= 3);
  await screenshot(page, "campaign-dashboard-later");

  // The progress report of the same day, as PDF.
  const pdf = await page.request.get(`${server.base}/campaigns/${CAMPAIGN}/report.pdf?unit=${CITY}&on=2020-07-03`);
  assert.equal(pdf.status(), 200);
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 4).toString(), "%PDF");
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, "campaign-report.pdf"), bytes);

  // The refused save answers 422 on purpose (Chromium logs it); nothing else may go wrong.
  assert.deepEqual(page.problems.filter((p) => !p.includes("status of 422")), []);
});

test("a viewer sees the dashboard but may not change the schedule", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "xem");
  const dashboard = await page.goto(`${server.base}/campaigns/${CAMPAIGN}`);
  assert.equal(dashboard.status(), 200);
  await page.goto(`${server.base}/campaigns/${CAMPAIGN}/schedule?unit=${CITY}`);
  assert.equal(await page.locator("#save-schedule").count(), 0);
  assert.equal(await page.locator("#recompute").count(), 0);
});
