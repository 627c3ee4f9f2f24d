// The console in a real browser (Debian's chromium through playwright-core) against the real service on a
// real log (the sample network of docs/compensation-plan.md, in SQLite files): each kind of key signs in,
// the page shows the API's figures, a rep sees only their own page, a rebuild started from the page
// switches, the statement download is the API's CSV byte for byte, and every page passes axe-core.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { openTab, screenshot, type Browser } from '../support/browser.js';
import {
  BROWSER_TEST_MS,
  SECRETS,
  expectAccessible,
  expectNoSidewaysScroll,
  formatted,
  startConsoleSession,
  type ConsoleSession,
} from '../support/console-session.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

let session: ConsoleSession;
let ledger: TestApp;
let browser: Browser;

beforeAll(async () => {
  session = await startConsoleSession();
  ({ ledger, browser } = session);
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

const api = (...args: Parameters<ConsoleSession['api']>) => session.api(...args);
const apiJson = (...args: Parameters<ConsoleSession['apiJson']>) => session.apiJson(...args);
const signIn = (...args: Parameters<ConsoleSession['signIn']>) => session.signIn(...args);

describe('signing in', () => {
  it(
    'with a wrong key shows the API problem and stays signed out',
    async () => {
      const { page } = await openTab(browser);
      await page.goto(`${ledger.url}/console/`);
      await page.getByLabel('API key').fill('not-a-key-of-this-ledger-000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Unauthorized');
      expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'sign-in');
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'keeps the key in the tab only: not in the URL, and gone on signing out',
    async () => {
      const { page } = await signIn('reader');
      expect(page.url()).not.toContain(SECRETS.reader);
      expect(await page.evaluate(() => Object.values((globalThis as any).sessionStorage))).toEqual([SECRETS.reader]);
      await page.getByRole('button', { name: /Sign out/ }).click();
      await page.getByLabel('API key').waitFor();
      expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe('a reader of everyone', () => {
  it(
    'finds a person by name on the people page',
    async () => {
      const { page, complaints } = await signIn('reader');
      await page.getByRole('heading', { name: 'People' }).waitFor();
      await page.getByLabel('Id or name').fill('okafor');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Ben Okafor' }).waitFor();
      // the link can be found in the page of everyone before the search's answer replaces it: let it settle
      await page.waitForFunction("document.querySelectorAll('tbody tr').length <= 1", undefined, {
        timeout: 10_000,
      });
      expect(await page.locator('tbody tr').count()).toBe(1);
      await expectAccessible(page);
      await screenshot(page, 'people');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "shows dan's totals and months as the API gives them",
    async () => {
      const { page, complaints } = await signIn('reader');
      await page.goto(`${ledger.url}/console/#/people/dan`);
      await page.getByRole('heading', { name: 'Dan Weber' }).waitFor();
      const totals = await apiJson('reader', '/people/dan/income');
      const row = page.locator('#totals tbody tr');
      await row.first().waitFor();
      expect(await row.count()).toBe(totals.totals.length);
      for (const [i, t] of totals.totals.entries()) {
        const cells = await row.nth(i).locator('td').allTextContents();
        const expected = [t.currency];
        for (const amount of [t.oneOff, t.residual, t.passive, t.total])
          expected.push(await formatted(page, amount, t.currency));
        expect(cells.slice(0, 5)).toEqual(expected);
      }
      const monthly = await apiJson('reader', '/people/dan/income/monthly');
      await page.getByText('The figures month by month').click();
      const monthRows = await page.locator('#monthly details tbody tr').all();
      const shown = new Map<string, string[]>();
      for (const r of monthRows) {
        const cells = await r.locator('td').allTextContents();
        shown.set(cells[0]!, cells.slice(1, 5));
      }
      for (const m of monthly.months) {
        const label = await page.evaluate(
          (month) =>
            new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
              new Date(`${month}-01T00:00:00Z`),
            ),
          m.month,
        );
        const amounts = [];
        for (const amount of [m.oneOff, m.residual, m.passive, m.total])
          amounts.push(await formatted(page, amount, m.currency));
        expect(shown.get(label)).toEqual(amounts);
      }
      await expect(page.locator('#monthly canvas').count()).resolves.toBe(1);
      await expectAccessible(page);
      await screenshot(page, 'person');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'opens the provenance of a line and the downline level by level',
    async () => {
      const { page } = await signIn('reader');
      await page.goto(`${ledger.url}/console/#/people/ana`);
      await page.getByRole('button', { name: /Ben Okafor/ }).click();
      await page.getByRole('button', { name: /Cleo Martin/ }).waitFor();
      const history = await apiJson('reader', '/people/ana/history');
      const first = history.lines[0];
      await page
        .locator('#history')
        .getByRole('button', { name: new RegExp(`line ${first.source.position}$`) })
        .click();
      const drawer = page.getByRole('dialog', { name: 'Provenance of a line' });
      await drawer.waitFor();
      const text = await drawer.textContent();
      for (const fact of [first.rule, first.rate, first.planVersion, first.source.eventId, first.source.stream])
        expect(text).toContain(fact);
      const source = await apiJson('reader', `/people/ana/lines/${first.source.position}/event`);
      const shown = await drawer.getByTestId('source-event').textContent();
      for (const value of Object.values(source.data)) if (typeof value === 'string') expect(shown).toContain(value);
      await expectAccessible(page);
      await screenshot(page, 'provenance');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "downloads the statement as the API's CSV, byte for byte, and shows it as the ledger knew it earlier",
    async () => {
      const { page } = await signIn('reader');
      await page.goto(`${ledger.url}/console/#/people/dan`);
      await page.getByLabel('From', { exact: true }).last().fill('2025-02-01');
      await page.getByLabel('Before', { exact: true }).last().fill('2026-01-01');
      await page.getByRole('button', { name: 'Show statement' }).click();
      await page.getByText('Closing balance').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const downloaded = readFileSync(await download.path());
      const fromApi = await api(
        'reader',
        '/people/dan/statement?from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
        'text/csv',
      );
      expect(fromApi.status).toBe(200);
      expect(downloaded.equals(fromApi.bytes)).toBe(true);

      await page.getByLabel('As the ledger knew it on').fill('8');
      await page.getByRole('button', { name: 'Show statement' }).click();
      await page.getByRole('heading', { name: 'Differences to today' }).waitFor();
      const then = await apiJson(
        'reader',
        '/people/dan/statement?from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&asOf=8&compareWith=now',
      );
      expect(await page.locator('.comparison .changed').count()).toBe(
        then.comparison.closing.length +
          then.comparison.added.length +
          then.comparison.reversed.length +
          then.comparison.repriced.length +
          then.comparison.dropped.length,
      );
      await expectAccessible(page);
      await screenshot(page, 'statement');
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'statement-print');
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'fits a 390 px wide screen without the page scrolling sideways',
    async () => {
      const { page } = await signIn('reader');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${ledger.url}/console/#/people/ana`);
      await page.locator('#history tbody tr').first().waitFor();
      await expectNoSidewaysScroll(page, 390);
      await expectAccessible(page);
      await screenshot(page, 'person-390');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe("a rep's own key", () => {
  it(
    'opens on their own page, and another rep’s page shows the API’s 403 and nothing of theirs',
    async () => {
      const { page } = await signIn('dan');
      await page.getByRole('heading', { name: 'Dan Weber' }).waitFor();
      await expect(page.getByRole('link', { name: 'People' }).count()).resolves.toBe(0);
      await page.goto(`${ledger.url}/console/#/people/ana`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Forbidden');
      expect(await page.locator('main').textContent()).not.toContain('Ana Duarte');
      await expectAccessible(page);
      await screenshot(page, 'rep-forbidden');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe('an operator', () => {
  it(
    'sees the projection and starts a rebuild that reaches the switch',
    async () => {
      const { page, complaints } = await signIn('admin');
      await page.getByRole('heading', { name: 'Operator' }).waitFor();
      const before = await apiJson('admin', '/projections');
      await expect(page.getByTestId('head').textContent()).resolves.toBe(before.head);
      await expectAccessible(page);
      await screenshot(page, 'operator');
      await page.getByRole('button', { name: 'Rebuild now' }).click();
      await page.getByText(/^Switched to generation \d+\.$/).waitFor({ timeout: 60_000 });
      const after = await apiJson('admin', '/projections');
      expect(after.serving.generation).toBeGreaterThan(before.serving.generation);
      await expect(page.getByTestId('rebuild-state').textContent()).resolves.toBe(
        `Switched to generation ${after.serving.generation}.`,
      );
      await screenshot(page, 'operator-rebuilt');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'uploads a candidate plan and reads its what-if as a sortable table',
    async () => {
      const { page } = await signIn('admin');
      const plan = JSON.parse(readFileSync('plans/default.plan.json', 'utf8'));
      const first = plan.versions[0];
      plan.versions.push({
        ...first,
        version: 'console-test',
        effectiveFrom: '2025-03-01T00:00:00Z',
        rules: { ...first.rules, directSale: { default: { kind: 'one-off', pays: { rate: '0.30' } } } },
      });
      await page.getByLabel(/A candidate plan/).setInputFiles({
        name: 'candidate.plan.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(plan)),
      });
      const table = page.getByRole('table', { name: /Who gains and who loses/ });
      await table.waitFor({ timeout: 60_000 });
      const rows = await table.locator('tbody tr').count();
      expect(rows).toBeGreaterThan(0);
      await table.getByRole('button', { name: /Difference/ }).click();
      await expect(table.locator('th[aria-sort]').getAttribute('aria-sort')).resolves.toMatch(/ascending|descending/);
      await expectAccessible(page);
      await screenshot(page, 'what-if');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe('keys from the operator page', () => {
  it(
    'issues a rep key that signs in at once, and revokes it',
    async () => {
      const { page } = await signIn('admin');
      await page.getByLabel('Name', { exact: true }).fill('rep-dan-console');
      await page.getByLabel('Scopes').fill('read=dan');
      await page.getByRole('button', { name: 'Issue key' }).click();
      const secret = (await page.getByTestId('secret').textContent())!;
      await page.getByRole('cell', { name: 'rep-dan-console', exact: true }).waitFor();
      await expectAccessible(page);
      await screenshot(page, 'operator-keys');

      const rep = await signIn({ secret });
      await rep.page.getByRole('heading', { name: 'Dan Weber' }).waitFor();
      await rep.page.close();

      await page.getByRole('button', { name: 'Revoke rep-dan-console' }).click();
      await page.getByRole('button', { name: 'Revoke rep-dan-console' }).waitFor({ state: 'detached' });
      const listed = await apiJson('admin', '/access/keys');
      expect(listed.keys.find((k: any) => k.name === 'rep-dan-console')).toMatchObject({ revokedBy: 'admin' });
      const after = await fetch(`${ledger.url}/access/me`, { headers: { authorization: `Bearer ${secret}` } });
      expect(after.status).toBe(401);
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe('with access control off', () => {
  it(
    'says so in a banner and needs no key',
    async () => {
      const open = await startTestApp();
      try {
        const { page } = await openTab(browser);
        await page.goto(`${open.url}/console/`);
        await expect(page.getByRole('note').textContent()).resolves.toContain('Access control is off');
        await page.getByRole('link', { name: 'Open the console' }).click();
        await page.getByRole('heading', { name: 'Operator' }).waitFor();
        await expectAccessible(page);
        await screenshot(page, 'access-off');
        await page.close();
      } finally {
        await open.stop();
        await removeDir(open.dir);
      }
    },
    BROWSER_TEST_MS,
  );
});
