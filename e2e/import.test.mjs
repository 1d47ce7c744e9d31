// Importing units under a unit: a file with one bad row is refused with the row and column
// named and nothing stored; the fixed file is imported, the new units and the audit entry show.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDaihoi, launchBrowser, newPage, login, screenshot } from "./lib.mjs";

let server;
let browser;
// The demo writes the Central Committee, the province, then the city: the city is unit 3.
const CITY = 3;

before(async () => {
  server = await startDaihoi();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

function unitsFile(name, kindOfLastRow) {
  // Semicolons and a byte-order mark, as Excel saves CSV in Vietnamese locales.
  const rows = [
    "Mã;Tên đơn vị;Loại;Đơn vị cấp trên;Số đảng viên chính thức",
    "c1;Chi bộ bản Noong Bua 5;Chi bộ;nb;21",
    "nb;Đảng bộ phường Noong Bua mới;Đảng bộ cơ sở;;0",
    `c2;Chi bộ bản Noong Bua 6;${kindOfLastRow};nb;17`,
  ];
  const path = join(server.dir, name);
  writeFileSync(path, "\uFEFF" + rows.join("\r\n") + "\r\n");
  return path;
}

async function upload(page, path) {
  await page.goto(`${server.base}/units/${CITY}/import`);
  await page.check("input[name=what][value=units]");
  await page.setInputFiles("#file", path);
  await Promise.all([page.waitForLoadState("load"), page.click("#upload")]);
}

test("a units file with a bad row is refused, then the fixed file is imported", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await upload(page, unitsFile("bad.csv", "Chi bộ lớn"));
  const summary = await page.textContent(".error-summary");
  assert.match(summary, /1 lỗi; chưa nhập gì/);
  const problem = await page.textContent("table.problems tbody tr");
  assert.match(problem, /4/);
  assert.match(problem, /Loại/);
  assert.match(problem, /Không rõ giá trị “Chi bộ lớn”/);
  await screenshot(page, "import-units-bad-row");
  const before = await (await page.request.get(`${server.base}/units/${CITY}/export.csv`)).text();
  assert.doesNotMatch(before, /Noong Bua 5/, "nothing was stored");

  await upload(page, unitsFile("good.csv", "Chi bộ"));
  assert.match(await page.textContent(".notice-ok"), /Mọi dòng đều hợp lệ/);
  assert.match(await page.textContent("table.preview"), /Chi bộ bản Noong Bua 5/);
  await screenshot(page, "import-units-preview");
  await Promise.all([page.waitForURL(/\/import\/jobs\//), page.click("text=Nhập 3 dòng")]);
  await page.waitForSelector(".new-units", { timeout: 30_000 });
  assert.match(await page.textContent("#import-progress .notice-ok"), /Đã nhập\s+3\s+đơn vị/);
  const created = await page.textContent(".new-units");
  assert.match(created, /Đảng bộ phường Noong Bua mới/);
  assert.match(created, /Chi bộ bản Noong Bua 6/);
  assert.match(await page.textContent(".audit-entry"), /unit\.import/);
  await screenshot(page, "import-units-done");
  const after = await (await page.request.get(`${server.base}/units/${CITY}/export.csv`)).text();
  assert.match(after, /Chi bộ bản Noong Bua 5/);
  // The refused upload answers 422 on purpose (Chromium logs it); nothing else may go wrong.
  assert.deepEqual(page.problems.filter((p) => !p.includes("status of 422")), []);
});

test("a viewer may not import", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "xem");
  const response = await page.goto(`${server.base}/units/${CITY}/import`);
  assert.equal(response.status(), 403);
});

test("a members file is imported with a progress bar and counted", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  const lines = ["Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Chính thức/Dự bị,Đơn vị"];
  for (let index = 0; index < 3000; index++) {
    lines.push(`Lò Văn Thử ${index},01/02/1980,Nam,Thái,03/02/2005,Chính thức,Chi bộ bản Him Lam 1`);
  }
  const path = join(server.dir, "members.csv");
  writeFileSync(path, lines.join("\n") + "\n");
  await page.goto(`${server.base}/units/${CITY}/import`);
  await page.check("input[name=what][value=members]");
  await page.setInputFiles("#file", path);
  await Promise.all([page.waitForLoadState("load"), page.click("#upload")]);
  assert.match(await page.textContent(".notice-ok"), /Mọi dòng đều hợp lệ/);
  await Promise.all([page.waitForURL(/\/import\/jobs\//), page.click("text=Nhập 3.000 dòng")]);
  await page.waitForSelector("#import-progress .notice-ok", { timeout: 60_000 });
  assert.match(await page.textContent("#import-progress .notice-ok"), /Đã nhập\s+3\.000\s+đảng viên/);
  await screenshot(page, "import-members-done");
  const exported = await (await page.request.get(`${server.base}/units/${CITY}/export.csv?what=members`)).text();
  assert.equal(exported.split("Lò Văn Thử").length - 1, 3000);
  assert.deepEqual(page.problems, []);
});
