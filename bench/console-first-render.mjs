#!/usr/bin/env node
// The console's first render, measured (issue 12: "the person page's first render ≤ 1 s after sign-in on the
// 1M benchmark log"). A benchmark, never a timed test: it prints figures and asserts nothing.
//
//   npm run build
//   node bench/console-first-render.mjs --data DIR [--person ID] [--runs 5] [--port 3990]
//
// DIR holds a log and its read models as the service keeps them (DIR/events.sqlite, DIR/read-models), e.g.
// the scratch folder of `npm run bench -- --sizes 1m --keep` (<work>/1m). The script starts the built service
// (dist/main.js) on it with a throwaway admin key, waits until the projection has caught up with the log,
// issues a `read=<person>` key (a rep's own key: signing in with it opens the rep's own page), then, in
// Debian's chromium through playwright-core, for each run: a fresh tab opens the console, types the key,
// presses Enter, and the clock runs from the Enter to the first rendered row of the totals ("Income to
// date"), and on to the moment no panel of the page is still loading. The person defaults to the one with
// the most ledger lines among the first people of the directory's first page.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CATCH_UP_WAIT_MS_MAX = 30 * 60_000;
const RENDER_WAIT_MS_MAX = 120_000;
const CANDIDATES_MAX = 25;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    person: { type: 'string' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '3990' },
  },
});
if (values.data === undefined) fail('--data DIR is required (a folder with events.sqlite and read-models/)');
const dataDir = resolve(values.data);
if (!existsSync(join(dataDir, 'events.sqlite'))) fail(`${dataDir}/events.sqlite does not exist`);
if (!existsSync('dist/main.js') || !existsSync('dist/console/index.html')) fail('run `npm run build` first');
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) fail('--runs must be a whole number from 1 to 100');

function fail(message) {
  console.error(`console-first-render: ${message}`);
  process.exit(1);
}

const adminSecret = `bench-${randomBytes(18).toString('hex')}`;
const base = `http://127.0.0.1:${values.port}`;

async function api(path, init = {}) {
  const response = await fetch(base + path, {
    ...init,
    headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json', ...init.headers },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** The built service on the data folder, configured the way an operator would (its environment). */
function startService() {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      PORT: values.port,
      EVENT_STORE_PATH: join(dataDir, 'events.sqlite'),
      READ_MODEL_DIR: join(dataDir, 'read-models'),
      API_KEYS: `bench-admin:admin+read:${adminSecret}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code !== null && code !== 0) fail(`the service exited with ${code}`);
  });
  return child;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function caughtUp() {
  const deadline = Date.now() + CATCH_UP_WAIT_MS_MAX;
  let last = '';
  while (Date.now() < deadline) {
    const status = await api('/projections').catch(() => null);
    if (status !== null && status.head !== null && status.lag === '0' && status.rebuild === null) return status;
    const now = status === null ? 'starting' : `checkpoint ${status.serving?.checkpoint ?? '?'} of ${status.head}`;
    if (now !== last) console.error(`waiting for the projection: ${now}`);
    last = now;
    await sleep(1_000);
  }
  fail('the projection did not catch up');
}

/** The person with the most history lines among the directory's first page (a full page is a busy person). */
async function busiestPerson() {
  const people = (await api(`/people?limit=${CANDIDATES_MAX}`)).people.map((p) => p.personId);
  let best = { personId: people[0], lines: -1 };
  for (const personId of people) {
    const lines = (await api(`/people/${encodeURIComponent(personId)}/history?limit=1000`)).lines.length;
    if (lines > best.lines) best = { personId, lines };
  }
  return best.personId;
}

async function measure(browser, secret) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByLabel('API key').fill(secret);
  const started = Date.now();
  await page.keyboard.press('Enter');
  await page.locator('#totals tbody tr, #totals .empty').first().waitFor({ timeout: RENDER_WAIT_MS_MAX });
  const totalsMs = Date.now() - started;
  // run in the page (globalThis there is the page's window)
  const settled = () => {
    const doc = globalThis.document;
    return doc.querySelector('main .loading') === null && doc.querySelector('#history') !== null;
  };
  await page.waitForFunction(settled, undefined, { timeout: RENDER_WAIT_MS_MAX });
  const settledMs = Date.now() - started;
  await context.close();
  return { totalsMs, settledMs };
}

const summary = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted[sorted.length - 1] };
};

const service = startService();
let browser;
try {
  const status = await caughtUp();
  const personId = values.person ?? (await busiestPerson());
  const issued = await api('/access/keys', {
    method: 'POST',
    body: JSON.stringify({ name: `bench-rep-${randomBytes(4).toString('hex')}`, scopes: `read=${personId}` }),
  });
  const lines = (await api(`/people/${encodeURIComponent(personId)}/history?limit=1000`)).lines.length;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  await measure(browser, issued.secret); // a warm-up: the first tab also starts the browser's own machinery
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(browser, issued.secret));
  const report = {
    log: { events: status.head, dataDir },
    person: { personId, historyLinesFirst1000: lines },
    runs,
    totalsRenderedMs: summary(results.map((r) => r.totalsMs)),
    pageSettledMs: summary(results.map((r) => r.settledMs)),
    target: 'totals rendered ≤ 1000 ms after sign-in on the 1M log',
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser?.close();
  service.kill('SIGTERM');
}
