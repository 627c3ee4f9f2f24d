// What every console suite does: a service with API keys on the sample network's log, a browser, signing in
// by keyboard, the API's own answers to compare the page with, and axe-core on the page.
import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, openTab, type Browser } from './browser.js';
import {
  postAll,
  removeDir,
  sampleNetwork,
  startTestApp,
  tempDir,
  type SampleRequest,
  type TestApp,
} from './test-app.js';

export const SECRETS = {
  admin: 'x-console-0123456789abcdefgh',
  reader: 'r-console-0123456789abcdefgh',
  dan: 'd-console-0123456789abcdefgh',
};
export const API_KEYS = `admin:admin:${SECRETS.admin},reader:read:${SECRETS.reader},dan:read=dan:${SECRETS.dan}`;
export type KeyName = keyof typeof SECRETS;
export const BROWSER_TEST_MS = 90_000;

export interface ConsoleSession {
  readonly ledger: TestApp;
  readonly browser: Browser;
  /** The API's answer to a key, as bytes. */
  api(key: KeyName, path: string, accept?: string): Promise<{ status: number; bytes: Buffer }>;
  apiJson(key: KeyName, path: string): Promise<any>;
  /** Signs in on a new tab with the keyboard only, as a person would: Tab to the field, type, Enter. */
  signIn(key: KeyName | { secret: string }): Promise<{ page: Page; complaints: string[] }>;
  close(): Promise<void>;
}

/**
 * Given the sample network (and `more` after it), recorded with access control off, then the service
 * restarted with keys.
 */
export async function startConsoleSession(
  options: { more?: readonly SampleRequest[]; overrides?: Record<string, string> } = {},
): Promise<ConsoleSession> {
  const overrides = options.overrides ?? {};
  const dir = tempDir('ledger-console-');
  const seeding = await startTestApp({ dir, overrides });
  const head = (await postAll(seeding, [...sampleNetwork(), ...(options.more ?? [])])).body.position;
  await seeding.get(`/people/ana/income?minPosition=${head}`);
  await seeding.stop();
  const ledger = await startTestApp({ dir, overrides: { ...overrides, API_KEYS } });
  const browser = await launchBrowser();
  const api = async (key: KeyName, path: string, accept = 'application/json') => {
    const response = await fetch(ledger.url + path, { headers: { authorization: `Bearer ${SECRETS[key]}`, accept } });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  return {
    ledger,
    browser,
    api,
    apiJson: async (key, path) => JSON.parse((await api(key, path)).bytes.toString('utf8')),
    signIn: async (key) => {
      const tab = await openTab(browser);
      await tab.page.goto(`${ledger.url}/console/`);
      await tab.page.getByLabel('API key').focus();
      await tab.page.keyboard.type(typeof key === 'string' ? SECRETS[key] : key.secret);
      await tab.page.keyboard.press('Enter');
      await tab.page.getByRole('button', { name: /Sign out/ }).waitFor();
      return tab;
    },
    close: async () => {
      await browser.close();
      await ledger.stop();
      await removeDir(dir);
    },
  };
}

/** The browser's own Intl formatting of an API amount, to compare the page with. */
export const formatted = (page: Page, amount: string, currency: string) =>
  page.evaluate(
    ([a, c]) => new Intl.NumberFormat(undefined, { style: 'currency', currency: c }).format(a as `${number}`),
    [amount, currency],
  );

export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}

/** The page scrolls no wider than its viewport. */
export async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    width,
  );
}

/** The text of every cell of every body row of the table(s) inside `where`. */
export async function rowsOf(where: Locator): Promise<string[][]> {
  const rows = await where.locator('tbody tr').all();
  return Promise.all(rows.map((r) => r.locator('td').allTextContents()));
}

/**
 * The rows of a table once they equal `expected` (an answer before this one may still be shown for a
 * moment), or as they are after `waitMsMax`, for the caller's assertion to report.
 */
export async function settledRows(table: Locator, expected: string[][], waitMsMax = 10_000): Promise<string[][]> {
  const deadline = Date.now() + waitMsMax;
  let rows = await rowsOf(table);
  while (JSON.stringify(rows) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await rowsOf(table);
  }
  return rows;
}
