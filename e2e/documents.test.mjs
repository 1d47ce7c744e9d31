// The document register and congress preparation in the browser, on the demo: the
// dissemination conference of 7 January 2020 as the seed article tells it; registering a
// document with a number taken from the register, a refused and an accepted attachment, and
// its download; the preparation checklist with the demo's overdue tasks highlighted, also on
// the home page.
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

async function follow(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
}

test("the conference of 7 January 2020 is shown as the article tells it", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await follow(page, "nav.primary-nav >> text=Văn bản");
  const register = await page.textContent("table.documents");
  for (const symbol of ["35-CT/TW", "26-HD/BTCTW", "79-KH/TU", "03-HD/TU"]) {
    assert.ok(register.includes(symbol), `${symbol} in the register`);
  }
  await screenshot(page, "documents-register");
  await follow(page, "text=Hội nghị quán triệt, triển khai");
  await follow(page, "ul.results a >> nth=0");
  assert.match(await page.textContent("h1"), /^Hội nghị cán bộ Thành phố quán triệt, triển khai Kế hoạch về Đại hội Đảng bộ các cấp, tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng$/);
  assert.equal((await page.textContent(".conference-date")).trim(), "07/01/2020");
  assert.equal((await page.textContent(".conference-chair")).trim(), "Lê Tiến Dũng, Phó Bí thư Thường trực Thành ủy");
  assert.match(await page.textContent(".conference-record"), /Ban Thường vụ Thành ủy/);
  const presenters = await page.locator(".conference-presenters li").allTextContents();
  assert.deepEqual(presenters.map((p) => p.trim()), [
    "Lê Tiến Dũng, Phó Bí thư Thường trực Thành ủy",
    "Lê Quang Xuyến, Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Thành ủy",
    "Nguyễn Hồng, Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Thành ủy",
  ]);
  const symbols = await page.locator(".conference-documents a.doc-symbol").allTextContents();
  assert.deepEqual(symbols, ["35-CT/TW", "26-HD/BTCTW", "79-KH/TU", "03-HD/TU"]);
  const documents = await page.textContent(".conference-documents");
  assert.match(documents, /35-CT\/TW ngày 30\/05\/2019 — Chỉ thị của Bộ Chính trị/);
  assert.match(documents, /26-HD\/BTCTW ngày 18\/10\/2019/);
  const conclusions = await page.textContent(".conference-conclusions");
  assert.match(conclusions, /^\s*Với tinh thần tập trung, nghiêm túc, trách nhiệm/);
  assert.match(conclusions, /Đảm bảo an toàn, tiết kiệm, tránh hình thức, tránh lãng phí\./);
  assert.match(conclusions, /theo đúng Hướng dẫn số 03 ngày 17\/12\/2019 của Ban Thường vụ Thành ủy\.\s*$/);
  await screenshot(page, "documents-conference-2020-01-07");
  // The directive's page lists what guides and implements it, and the conference.
  await follow(page, ".conference-documents a:text('35-CT/TW')");
  const links = await page.textContent("ul.doc-links");
  assert.match(links, /Được hướng dẫn bởi\s*26-HD\/BTCTW/);
  assert.match(links, /Được triển khai bởi\s*79-KH\/TU/);
  assert.ok((await page.textContent("main")).includes("07/01/2020 — Hội nghị cán bộ Thành phố"));
  await screenshot(page, "documents-directive-35");
  assert.deepEqual(page.problems, []);
});

test("a document is registered with a number from the register and a PDF attached", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.goto(`${server.base}/documents/new`);
  await page.selectOption("#unit", { label: "Đảng bộ thành phố Điện Biên Phủ" });
  await follow(page, "form.form button[type=submit]");
  // Take the next number of the city's plans on 20/05/2020.
  await page.click("details.doc-form > summary");
  await page.selectOption("#take_type", "KH");
  await page.fill("#take_date", "20/05/2020");
  await follow(page, "button[name=take]");
  assert.equal(await page.textContent("#proposal"), "01-KH/TU");
  assert.equal(await page.inputValue("#register #symbol"), "01-KH/TU");
  assert.equal(await page.inputValue("#register #origin"), "own");
  // A malformed symbol first: the message sits beside the field.
  await page.fill("#register #symbol", "01KH/TU");
  await page.fill("#summary", "Kế hoạch tổ chức Đại hội đại biểu Đảng bộ thành phố lần thứ VII");
  await follow(page, "#register button[type=submit]");
  assert.match(await page.textContent("#symbol-error"), /Thiếu dấu gạch nối/);
  await screenshot(page, "documents-form-error");
  await page.fill("#register #symbol", "01-KH/TU");
  await follow(page, "#register button[type=submit]");
  assert.match(await page.textContent("h1"), /Số 01-KH\/TU\s+ngày 20\/05\/2020/);
  // A text file named .pdf is refused, a PDF is kept and downloads with its type and name.
  await page.setInputFiles("#file", { name: "ke-hoach.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf at all") });
  await follow(page, "form[enctype='multipart/form-data'] button[type=submit]");
  assert.match(await page.textContent("#file-error"), /Chỉ nhận tệp PDF hoặc DOCX/);
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.setInputFiles("#file", { name: "Kế hoạch 01.pdf", mimeType: "application/pdf", buffer: pdf });
  await follow(page, "form[enctype='multipart/form-data'] button[type=submit]");
  assert.match(await page.textContent(".notice-ok"), /Đã đính kèm tệp/);
  const href = await page.getAttribute("ul.doc-files a", "href");
  const answer = await page.evaluate(async (url) => {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { type: response.headers.get("content-type"), disposition: response.headers.get("content-disposition"), head: String.fromCharCode(...bytes.slice(0, 8)) };
  }, href);
  assert.equal(answer.type, "application/pdf");
  assert.match(answer.disposition, /^attachment; filename=".*\.pdf"; filename\*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%2001\.pdf$/);
  assert.equal(answer.head, "%PDF-1.4");
  await screenshot(page, "documents-registered-with-attachment");
  assert.deepEqual(page.problems.filter((p) => !p.includes("422")), []);
});

test("the preparation checklist highlights the demo's overdue tasks, also on the home page", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.waitForSelector(".overdue-box");
  const items = await page.locator(".overdue-list li").allTextContents();
  assert.equal(items.length, 2);
  assert.match(items[0], /Tổng hợp ý kiến góp ý dự thảo văn kiện/);
  assert.match(items[1], /Phân bổ đại biểu/);
  await screenshot(page, "preparation-home");
  await follow(page, "nav.primary-nav >> text=Chuẩn bị đại hội");
  await follow(page, "text=Tiểu ban và công việc");
  assert.equal(await page.locator("tr.task-overdue").count(), 2);
  assert.match(await page.textContent("tr.task-overdue >> nth=0"), /Quá hạn/);
  await screenshot(page, "preparation-checklist");
  await follow(page, "nav.actions >> text=Dự thảo văn kiện");
  await follow(page, "ul.results a >> nth=0");
  assert.equal(await page.locator("table.comments tbody tr").count(), 4);
  await screenshot(page, "preparation-draft");
  assert.deepEqual(page.problems, []);
});
