// Shared helpers for the browser tests: start the real daihoi binary on a free loopback port
// with a fresh database, drive Debian's Chromium with playwright-core, save screenshots.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.DAIHOI_BIN || join(here, "..", "target", "debug", "daihoi");
export const SCREENSHOTS = join(here, "screenshots");
export const DEMO_PASSWORD = "daihoi-demo-2020";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child, output) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`daihoi exited early (${child.exitCode}):\n${output.join("")}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`daihoi did not become healthy:\n${output.join("")}`);
}

// Starts `daihoi demo` (or `serve`) on a fresh SQLite database; returns { base, dir, stop, kill }.
export async function startDaihoi({ demo = true, dir = null, extraArgs = [] } = {}) {
  const workdir = dir || mkdtempSync(join(tmpdir(), "daihoi-e2e-"));
  const port = await freePort();
  const db = `sqlite://${join(workdir, "e2e.db")}`;
  const args = demo
    ? ["demo", "--bind", `127.0.0.1:${port}`, "--database-url", db, ...extraArgs]
    : ["serve", "--bind", `127.0.0.1:${port}`, "--database-url", db, ...extraArgs];
  const output = [];
  const child = spawn(BIN, args, { cwd: workdir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk) => output.push(chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, child, output);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    base,
    dir: workdir,
    db,
    output,
    child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
    cleanup() {
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// A fresh browser context (own cookies) with a page, Vietnamese locale, laptop-sized.
export async function newPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "vi-VN" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.problems = problems;
  return page;
}

export async function login(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
