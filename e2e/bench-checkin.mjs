// Benchmark: 4 check-in stations scanning 1,600 badges at once against the real daihoi binary
// (HTTP over loopback, the demo database). Each station checks in its 400 badges one request
// at a time, as a desk does, then re-scans 100 of its neighbour's; the script then reads the
// attendance panel and counts the acknowledged check-ins: none lost, none doubled.
//
//   DAIHOI_BIN=$PWD/../target/release/daihoi node bench-checkin.mjs [--database-url URL]
import { startDaihoi } from "./lib.mjs";

const STATIONS = 4;
const BADGES = 1600;
const extraArgs = process.argv.slice(2);

function cookiesOf(response, jar) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [name, value] = pair.split("=");
    jar.set(name.trim(), value);
  }
}

function cookieHeader(jar) {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

async function login(base, username, password) {
  const jar = new Map();
  const page = await fetch(`${base}/login`);
  cookiesOf(page, jar);
  const html = await page.text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)[1];
  const body = new URLSearchParams({ _csrf: csrf, username, password });
  const answer = await fetch(`${base}/login`, {
    method: "POST",
    headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  cookiesOf(answer, jar);
  const home = await fetch(`${base}/`, { headers: { cookie: cookieHeader(jar) } });
  const token = (await home.text()).match(/name="csrf-token" content="([^"]+)"/)[1];
  return { cookie: cookieHeader(jar), csrf: token };
}

async function post(base, session, path, fields, extraHeaders = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      cookie: session.cookie,
      "x-csrf-token": session.csrf,
      "content-type": "application/x-www-form-urlencoded",
      ...extraHeaders,
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

const server = await startDaihoi({ extraArgs });
try {
  const session = await login(server.base, "vanphong.himlam", "daihoi-demo-2020");
  const search = await fetch(`${server.base}/search?q=him+lam`, { headers: { cookie: session.cookie } });
  const ward = (await search.text()).match(/href="\/units\/(\d+)">Đảng bộ phường Him Lam</)[1];
  const created = await post(server.base, session, `/units/${ward}/congresses/new`, {
    ordinal: "13", term_start: "2020", term_end: "2025", kind: "delegates", content: "four_items",
    rules: "qd190-2024", quorum: "2/3",
  });
  const congress = created.headers.get("location").match(/\/congresses\/(\d+)/)[1];
  // The roster: 1,600 elected delegates, imported as one CSV file.
  const rows = ["Họ và tên,Loại đại biểu,Đoàn đại biểu"];
  for (let i = 1; i <= BADGES; i++) rows.push(`Đại biểu số ${i},Đại biểu được bầu,Đoàn ${1 + (i % 40)}`);
  const form = new FormData();
  form.append("file", new Blob([rows.join("\n")], { type: "text/csv" }), "dai-bieu.csv");
  const imported = await fetch(`${server.base}/congresses/${congress}/people/import?_csrf=${session.csrf}`, {
    method: "POST",
    headers: { cookie: session.cookie },
    body: form,
    redirect: "manual",
  });
  if (imported.status !== 303) throw new Error(`import answered ${imported.status}: ${await imported.text()}`);

  const latencies = [];
  let fresh = 0;
  let again = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STATIONS }, async (_, station) => {
      const badges = [];
      for (let b = station * 400 + 1; b <= station * 400 + 400; b++) badges.push(b);
      const neighbour = (station + 1) % STATIONS;
      for (let b = neighbour * 400 + 100; b > neighbour * 400; b--) badges.push(b);
      for (const badge of badges) {
        const t0 = performance.now();
        const answer = await post(server.base, session, `/congresses/${congress}/checkin`,
          { badge_no: String(badge), station: `Bàn ${station + 1}` }, { "hx-request": "true" });
        const text = await answer.text();
        latencies.push(performance.now() - t0);
        if (answer.status !== 200) throw new Error(`badge ${badge}: ${answer.status} ${text}`);
        if (text.includes("checkin-ok")) fresh++;
        else if (text.includes("checkin-again")) again++;
        else throw new Error(`badge ${badge}: ${text}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const panel = await (await fetch(`${server.base}/congresses/${congress}/attendance`, {
    headers: { cookie: session.cookie },
  })).text();
  const present = Number(panel.match(/data-figure="present">(\d+)</)[1]);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  const requests = latencies.length;
  console.log(JSON.stringify({
    stations: STATIONS,
    requests,
    seconds: Number(seconds.toFixed(2)),
    per_second: Math.round(requests / seconds),
    p50_ms: Number(pct(0.5)),
    p95_ms: Number(pct(0.95)),
    p99_ms: Number(pct(0.99)),
    acknowledged_new: fresh,
    acknowledged_again: again,
    present_on_panel: present,
  }));
  if (fresh !== BADGES || present !== BADGES || again !== STATIONS * 100) {
    throw new Error("lost or doubled check-ins");
  }
} finally {
  await server.stop();
  server.cleanup();
}
