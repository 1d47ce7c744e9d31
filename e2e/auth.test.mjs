// Logging in and out, refused logins, throttling, the language switch.
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

test("a demo user logs in, sees the home page, and logs out", async () => {
  const page = await newPage(browser);
  await page.goto(server.base + "/");
  assert.match(page.url(), /\/login\?next=/);
  await screenshot(page, "auth-login");
  await login(page, server.base, "admin");
  assert.equal(new URL(page.url()).pathname, "/");
  assert.match(await page.textContent("h1"), /Xin chào/);
  await screenshot(page, "auth-home");
  await page.click("text=Đăng xuất");
  await page.waitForURL(/\/login/);
  await page.goto(server.base + "/");
  assert.match(page.url(), /\/login/);
  assert.deepEqual(page.problems, []);
});

test("a wrong password is refused with a message and no session", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "bantochuc", "not-the-password");
  assert.match(await page.textContent(".error-summary"), /không đúng/);
  const cookies = await page.context().cookies();
  assert.equal(cookies.some((cookie) => cookie.name === "daihoi_session"), false);
  const session = cookies.find((cookie) => cookie.name === "daihoi_csrf");
  assert.ok(session.httpOnly, "CSRF cookie is HttpOnly");
  assert.equal(session.sameSite, "Strict");
});

test("the English switch changes the language and keeps it", async () => {
  const page = await newPage(browser);
  await login(page, server.base, "xem");
  await page.click("text=English");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), /Welcome/);
  await screenshot(page, "auth-home-en");
  await page.reload();
  assert.match(await page.textContent("nav.primary-nav"), /Members/);
});
