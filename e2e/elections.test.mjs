// Elections in the browser on the demo database: the ward's clerk builds an inspection
// committee election and has the list approved; a counter records the ballot counts and enters
// 50 ballots from the keyboard alone; a second team enters the same pile with two differences;
// the committee resolves them on the reconciliation page; the result, the projector view and
// the minutes appear. Screenshots of every screen go to e2e/screenshots/.
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

function watch(page) {
  page.missing = [];
  page.on("response", (r) => { if (r.status() === 404) page.missing.push(r.url()); });
  return page;
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
}

// The pile: what each ballot's clerk types. Strike-through, 4 names for 3 seats.
const PILE = Array.from({ length: 50 }, (_, i) => ["4", "3", "1", "2", "4", "3 4", "0"][i % 7]);

async function enterPile(page, base, round, team, pile) {
  await page.goto(`${base}/rounds/${round}/count/${team}`);
  // The keys field has the focus: the clerk never touches the mouse.
  assert.equal(await page.evaluate(() => document.activeElement.id), "keys");
  for (let i = 0; i < pile.length; i++) {
    await page.keyboard.type(pile[i]);
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.getElementById("total").textContent === String(n), i + 1);
  }
}

test("a list is approved, two teams key 50 ballots, the committee resolves two discrepancies, results and minutes appear", async () => {
  const clerk = watch(await newPage(browser));
  await login(clerk, server.base, "vanphong.himlam");
  // The ward's clerk finds its congress from the elections index, as a new user would.
  await clerk.goto(`${server.base}/elections`);
  await submit(clerk, "section.panel h2 a:has-text('Him Lam')");
  assert.match(clerk.url(), /\/congresses\/\d+\/elections$/);
  assert.match(await clerk.textContent("h1"), /Bầu cử tại đại hội/);
  await screenshot(clerk, "elections-congress");

  // Two offices on one ballot are refused; one office is accepted.
  await clerk.click("details.panel summary");
  await clerk.check("input[name=kind][value=inspection_committee]");
  await clerk.check("input[name=kind][value=secretary]");
  await clerk.fill("#seats", "3");
  await submit(clerk, "form[action$='/elections'] button[type=submit]");
  assert.match(await clerk.textContent("#error"), /một chức danh/);
  await clerk.uncheck("input[name=kind][value=secretary]");
  await clerk.check("input[name=kind][value=inspection_committee]");
  await clerk.fill("#seats", "3");
  await clerk.fill("#title", "Bầu Ủy ban Kiểm tra Đảng ủy phường Him Lam khóa XII");
  await submit(clerk, "form[action$='/elections'] button[type=submit]");
  assert.match(clerk.url(), /\/elections\/\d+$/);

  // Four names from the roll.
  const options = await clerk.locator("#person_id option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  for (const value of options.slice(20, 24)) {
    await clerk.selectOption("#person_id", value);
    await submit(clerk, "form[action$='/candidates'] button[type=submit]");
  }
  assert.equal(await clerk.locator("table.data tbody tr").count(), 4);
  await clerk.fill("#list-for", "115");
  await clerk.fill("#list-present", "117");
  await screenshot(clerk, "elections-list");
  await submit(clerk, "form[action$='/approve'] button[type=submit]");
  assert.match(clerk.url(), /\/rounds\/\d+$/);
  const round = clerk.url().match(/\/rounds\/(\d+)$/)[1];

  // The counting committee records the ballot counts.
  const team1 = watch(await newPage(browser));
  await login(team1, server.base, "kiemphieu.himlam");
  await team1.goto(`${server.base}/rounds/${round}`);
  await team1.fill("#issued", "50");
  await team1.fill("#collected", "50");
  await submit(team1, "form[action$='/figures'] button[type=submit]");
  assert.match(await team1.textContent("dl.facts"), /50/);
  await screenshot(team1, "elections-round");

  // Team 1 keys the pile; a bad entry is refused and nothing is stored.
  await enterPile(team1, server.base, round, 1, PILE.slice(0, 10));
  await team1.keyboard.type("9");
  await team1.keyboard.press("Enter");
  await team1.waitForFunction(() => document.getElementById("entry-status").classList.contains("entry-error"));
  assert.match(await team1.textContent("#entry-status"), /Không có tên số 9/);
  await team1.keyboard.press("Escape");
  // A slip, taken back with "u" + Enter.
  await team1.keyboard.type("1 2 3");
  await team1.keyboard.press("Enter");
  await team1.waitForFunction(() => document.getElementById("total").textContent === "11");
  await team1.keyboard.type("u");
  await team1.keyboard.press("Enter");
  await team1.waitForFunction(() => document.getElementById("total").textContent === "10");
  for (let i = 10; i < PILE.length; i++) {
    await team1.keyboard.type(PILE[i]);
    await team1.keyboard.press("Enter");
    await team1.waitForFunction((n) => document.getElementById("total").textContent === String(n), i + 1);
  }
  await screenshot(team1, "elections-count-team1");
  // The screen reloaded shows the same pile: every acknowledged ballot is stored.
  await team1.reload();
  assert.equal(await team1.textContent("#total"), "50");

  // Team 2: the same pile with two differences.
  const team2 = watch(await newPage(browser));
  await login(team2, server.base, "kiemphieu.himlam");
  const pile2 = PILE.slice();
  pile2[6] = "1";
  pile2[29] = "2 3";
  await enterPile(team2, server.base, round, 2, pile2);

  // Reconciliation: ballots 7 and 30 side by side; the committee decides both.
  await team1.goto(`${server.base}/rounds/${round}/reconcile`);
  assert.equal(await team1.textContent("#open-discrepancies"), "2");
  await screenshot(team1, "elections-reconcile");
  for (const [ballot, keys] of [[7, PILE[6]], [30, PILE[29]]]) {
    await team1.fill(`#keys-${ballot}`, keys);
    await team1.fill(`#note-${ballot}`, "Xem lại phiếu gốc");
    await submit(team1, `#ballot-${ballot} button[type=submit]`);
  }
  assert.equal(await team1.textContent("#open-discrepancies"), "0");

  // The result, signed off.
  await team1.goto(`${server.base}/rounds/${round}/result`);
  assert.equal(await team1.textContent("#r-valid"), "43");
  await screenshot(team1, "elections-result");
  team1.once("dialog", (dialog) => dialog.accept());
  await submit(team1, "form[action$='/lock'] button[type=submit]");
  assert.match(await team1.textContent("code.hash"), /^[0-9a-f]{64}$/);
  await screenshot(team1, "elections-result-locked");

  // The projector view: large type, no controls.
  await team1.goto(`${server.base}/rounds/${round}/projector`);
  assert.equal(await team1.locator("form, button, nav").count(), 0);
  await screenshot(team1, "elections-projector");

  // The minutes download.
  await team1.goto(`${server.base}/rounds/${round}`);
  const href = await team1.getAttribute("a[href*='minutes.pdf']", "href");
  const pdf = await team1.request.get(`${server.base}${href}`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  assert.ok((await pdf.body()).length > 5000);
  const docx = await team1.request.get(`${server.base}${href.replace("minutes.pdf", "minutes.docx")}`);
  assert.equal(docx.status(), 200);
  for (const page of [clerk, team1, team2]) {
    assert.deepEqual(page.missing, []);
    assert.deepEqual(page.problems.filter((p) => !p.includes("status of 422")), []);
  }
});

test("the city's organisation board sees Him Lam's results waiting and approves them", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");
  await page.goto(`${server.base}/approvals`);
  assert.match(await page.textContent("main"), /Chờ chuẩn y/);
  await screenshot(page, "elections-approvals");
  await submit(page, "button[value=approve]");
  assert.match(await page.textContent("main"), /Đã chuẩn y/);
});
