// The hand-off upward, in the browser on the demo database: the Him Lam and Mường Thanh wards
// have elected their delegates to the city congress and reported the results; the city's
// organisation board approves both, and the city congress's roster then lists each ward's
// delegates and alternates (in their order), marked by the ward they come from.
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

const WARDS = ["Him Lam", "Mường Thanh"];

test("the city approves two wards' delegates and both delegations join its congress roster", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc");

  // Both wards wait for approval, each with its delegates and alternates in vote order.
  await page.goto(`${server.base}/approvals`);
  const elected = {};
  for (const ward of WARDS) {
    const section = page.locator("section.approval", { hasText: `phường ${ward}` })
      .filter({ has: page.locator("button[value=approve]") });
    assert.equal(await section.count(), 1, `${ward} waits for approval`);
    // The delegates' election of the summary: its title, then the elected, then the alternates.
    elected[ward] = await section.evaluate((el) => {
      const title = [...el.querySelectorAll("h4")].find((h) => /đại biểu/.test(h.textContent));
      const lists = [];
      for (let node = title.nextElementSibling; node && node.tagName !== "H4"; node = node.nextElementSibling) {
        if (node.tagName === "OL") lists.push([...node.querySelectorAll("li")].map((li) => li.textContent.split(" — ")[0].trim()));
      }
      return { delegates: lists[0] || [], alternates: lists[1] || [] };
    });
  }
  assert.equal(elected["Him Lam"].delegates.length, 6);
  assert.equal(elected["Him Lam"].alternates.length, 2);
  assert.equal(elected["Mường Thanh"].delegates.length, 4);
  assert.equal(elected["Mường Thanh"].alternates.length, 1);
  await screenshot(page, "handoff-approvals");
  for (const ward of WARDS) {
    const section = page.locator("section.approval", { hasText: `phường ${ward}` })
      .filter({ has: page.locator("button[value=approve]") });
    await Promise.all([page.waitForLoadState("load"), section.locator("button[value=approve]").click()]);
    const done = page.locator("#decided tr", { hasText: `phường ${ward}` }).first();
    assert.match(await done.textContent(), /Đã chuẩn y/);
  }

  // The city's congress, found from the unit page as a new user would.
  await page.goto(`${server.base}/units`);
  await Promise.all([page.waitForLoadState("load"), page.click(".tree-root > li > a")]);
  assert.match(await page.textContent("h1"), /thành phố Điện Biên Phủ/);
  await Promise.all([page.waitForLoadState("load"), page.click("a:has-text('lần thứ VII')")]);
  await Promise.all([page.waitForLoadState("load"), page.click("nav a:has-text('Danh sách triệu tập')")]);
  assert.match(page.url(), /\/congresses\/\d+\/people/);
  await screenshot(page, "handoff-city-roster");

  assert.match(await page.textContent("main"), /13 người/, "six and two from Him Lam, four and one from Mường Thanh");
  const rows = await page.locator("table.roster tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
  for (const ward of WARDS) {
    const mine = rows.filter((cells) => cells.some((c) => c === `Đảng bộ phường ${ward}`));
    const names = mine.map((cells) => cells.find((c) => elected[ward].delegates.includes(c) || elected[ward].alternates.includes(c)));
    for (const name of [...elected[ward].delegates, ...elected[ward].alternates]) {
      assert.ok(names.includes(name), `${name} of ${ward} is on the city roster`);
    }
    // Alternates keep their order: the first by votes is rank 1.
    elected[ward].alternates.forEach((name, index) => {
      const row = mine.find((cells) => cells.includes(name));
      assert.ok(row.some((c) => c.includes(`thứ tự ${index + 1}`)), `${name} is alternate ${index + 1}`);
    });
  }
  // The delegations' composition, from the roster.
  await Promise.all([page.waitForLoadState("load"), page.click("a:has-text('Cơ cấu các đoàn đại biểu')")]);
  const table = await page.textContent("#delegations");
  for (const ward of WARDS) assert.match(table, new RegExp(`Đảng bộ phường ${ward}`));
  assert.match(table, /Cộng\s*13/);
  await screenshot(page, "handoff-delegations");
  assert.deepEqual(page.problems, []);
});
