// The history table's filters in a real browser: the filters chosen on the page are the API's query, so each
// page holds the API's matching lines and Next and Previous run through them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser.js';
import {
  BROWSER_TEST_MS,
  expectAccessible,
  formatted,
  rowsOf,
  settledRows,
  startConsoleSession,
  type ConsoleSession,
} from '../support/console-session.js';
import type { SampleRequest } from '../support/test-app.js';

// More of Ben's sales than one page holds, so Ana's override lines in USD run to two pages.
const SALES = 60;
const MORE: SampleRequest[] = Array.from({ length: SALES }, (_, i) => ({
  path: '/sales',
  body: {
    saleId: `S-H${i}`,
    repId: 'ben',
    customerId: `C-H${i}`,
    amount: `${10 + i}.00`,
    currency: 'USD',
    kind: 'single',
    occurredAt: `2025-06-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
  },
}));

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ more: MORE });
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

/** A history page's lines as the table shows them: date, kind, rule, amount, rate, source event type. */
async function shown(page: Page, lines: any[]): Promise<string[][]> {
  const rows = [];
  for (const l of lines) {
    const date = await page.evaluate(
      (at) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(at)),
      l.occurredAt,
    );
    rows.push([date, l.kind, l.rule, await formatted(page, l.amount, l.currency), l.rate, l.source.eventType]);
  }
  return rows;
}

const tableRows = async (page: Page, expected: string[][]) =>
  (await settledRows(page.locator('#history'), expected)).map((r) => r.slice(0, 6));

describe('the history table', () => {
  it(
    'asks the API with the filters chosen and pages through the matching lines',
    async () => {
      const { page, complaints } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/ana`);
      await page.locator('#history tbody tr').first().waitFor();
      await page.getByLabel('Rule', { exact: true }).selectOption('override');
      await page.getByLabel('Currency', { exact: true }).first().selectOption('USD');
      await page.getByLabel('From', { exact: true }).first().fill('2025-06-01');
      await page.getByRole('button', { name: 'Apply filters' }).click();

      const query = '/people/ana/history?rule=override&currency=USD&from=2025-06-01T00:00:00Z&limit=50';
      const first = await session.apiJson('reader', query);
      expect(first.lines).toHaveLength(50);
      expect(first.nextCursor).not.toBeNull();
      const firstRows = await shown(page, first.lines);
      expect((await tableRows(page, firstRows)).length).toBe(50);
      expect((await rowsOf(page.locator('#history'))).map((r) => r.slice(0, 6))).toEqual(firstRows);

      await page.locator('#history').getByRole('button', { name: 'Next' }).click();
      const second = await session.apiJson('reader', `${query}&cursor=${first.nextCursor}`);
      expect(second.lines).toHaveLength(SALES - 50);
      expect(second.nextCursor).toBeNull();
      const secondRows = await shown(page, second.lines);
      expect(await tableRows(page, secondRows)).toEqual(secondRows);
      await expect(page.locator('#history').getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);

      await page.locator('#history').getByRole('button', { name: 'Previous' }).click();
      expect(await tableRows(page, firstRows)).toEqual(firstRows);
      await expectAccessible(page);
      await screenshot(page, 'history-filtered');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'starts again at the first page when the filters change, and says when nothing matches',
    async () => {
      const { page } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/ana`);
      await page.locator('#history tbody tr').first().waitFor();
      await page.locator('#history').getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Kind', { exact: true }).selectOption('passive');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const none = await session.apiJson('reader', '/people/ana/history?kind=passive&limit=50');
      expect(none.lines).toEqual([]);
      await page.locator('#history').getByText('No lines here.').waitFor();
      await expect(page.locator('#history').getByRole('button', { name: 'Previous' }).isDisabled()).resolves.toBe(true);
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
