// The pay-cycle pages in a real browser against the real service: a period's close preview as the API gives
// it (its CSV byte for byte), a hold set and lifted from the page changing the preview as the API says, the
// close asked for twice (cancelled, then confirmed), the payout batch CSV, and a person's period view.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser.js';
import {
  BROWSER_TEST_MS,
  expectAccessible,
  expectNoSidewaysScroll,
  formatted,
  rowsOf,
  settledRows,
  startConsoleSession,
  type ConsoleSession,
  type KeyName,
} from '../support/console-session.js';

const PERIOD = '2025-03';
const STATEMENT_MONEY = ['opening', 'earned', 'notQualified', 'closing', 'held', 'carried', 'payable'];

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession();
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

/** The statements table shows the API's statements, in its order, formatted. */
async function expectStatements(page: Page, statements: any[]): Promise<void> {
  const expected = [];
  for (const s of statements) {
    const row = [s.personId, s.currency, s.qualified ? 'yes' : 'no'];
    for (const key of STATEMENT_MONEY) row.push(await formatted(page, s[key], s.currency));
    expected.push([...row, s.payableReason]);
  }
  const table = page.getByRole('table', { name: /^Statements? / });
  await table.waitFor();
  expect(await settledRows(table, expected)).toEqual(expected);
}

async function downloaded(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync(await file.path());
}

const csv = async (key: KeyName, path: string) => {
  const answer = await session.api(key, path, 'text/csv');
  expect(answer.status).toBe(200);
  return answer.bytes;
};

/** Waits until the preview shows what the API previews now, and returns that. */
async function expectPreview(page: Page): Promise<any> {
  const preview = await session.apiJson('admin', `/periods/${PERIOD}/close-preview`);
  await expectStatements(page, preview.statements);
  return preview;
}

async function holdForm(page: Page, legend: string, fields: Record<string, string>, submit: string) {
  const form = page.getByRole('group', { name: legend });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: submit }).click();
}

describe('an operator closing a period', () => {
  it(
    'previews it, holds and releases a person, closes it after confirming, and downloads the payout batch',
    async () => {
      const { page, complaints } = await session.signIn('admin');
      await page.getByRole('link', { name: 'Pay cycle' }).click();
      await page.getByLabel('Period', { exact: true }).fill(PERIOD);
      await page.getByRole('button', { name: 'Show period' }).click();
      await page.getByRole('heading', { name: `Period ${PERIOD}` }).waitFor();
      const before = await expectPreview(page);
      expect(before.statements.length).toBeGreaterThan(0);
      expect(
        (await downloaded(page, 'Download preview CSV')).equals(await csv('admin', `/periods/${PERIOD}/close-preview`)),
      ).toBe(true);
      await expectAccessible(page);
      await screenshot(page, 'pay-cycle-preview');

      await holdForm(page, 'Set a hold', { Person: 'dan', 'Hold id': 'H-1', Reason: 'compliance review' }, 'Set hold');
      await page.getByTestId('hold-done').getByText('Hold H-1 set on dan').waitFor();
      const held = await expectPreview(page);
      expect(held.statements.filter((s: any) => s.personId === 'dan').map((s: any) => s.payableReason)).toContain(
        'held',
      );

      // the hold is lifted by picking it from dan's holds, not by typing its id
      await holdForm(page, "A person's holds", { Person: 'dan' }, 'Show holds');
      await page.getByRole('button', { name: 'Lift H-1…' }).click();
      const lift = page.getByRole('group', { name: 'Lift a hold' });
      expect(await lift.getByLabel('Person', { exact: true }).inputValue()).toBe('dan');
      expect(await lift.getByLabel('Hold id', { exact: true }).inputValue()).toBe('H-1');
      await holdForm(page, 'Lift a hold', { Reason: 'review passed' }, 'Lift hold');
      await page.getByTestId('hold-done').getByText('Hold H-1 on dan lifted (release)').waitFor();
      const [liftedHold] = (await session.apiJson('admin', '/people/dan/holds')).holds;
      await page
        .getByText(`lifted (release) by ${liftedHold.lifted.operator} at ${liftedHold.lifted.liftedAt}`)
        .waitFor();
      await expectAccessible(page);
      await screenshot(page, 'pay-cycle-holds');
      expect((await expectPreview(page)).statements).toEqual(before.statements);

      await page.getByRole('button', { name: `Close ${PERIOD}…` }).click();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect((await session.apiJson('admin', `/periods/${PERIOD}`)).status).toBe('open');
      await page.getByRole('button', { name: `Close ${PERIOD}…` }).click();
      // the confirmation takes the focus, so the keyboard alone confirms it
      await expect(
        page
          .getByRole('button', { name: `Close ${PERIOD} for good` })
          .evaluate((b) => b === b.ownerDocument.activeElement),
      ).resolves.toBe(true);
      await page.keyboard.press('Enter');
      await page
        .getByTestId('period-state')
        .getByText(/by admin\.$/)
        .waitFor();
      const status = await session.apiJson('admin', `/periods/${PERIOD}`);
      expect(status.close).toMatchObject({ operator: 'admin' });
      const sealed = await session.apiJson('admin', `/periods/${PERIOD}/statements`);
      await expectStatements(page, sealed.statements);
      expect(
        (await downloaded(page, 'Download payout batch CSV')).equals(
          await csv('admin', `/periods/${PERIOD}/payout-batch`),
        ),
      ).toBe(true);
      await expectAccessible(page);
      await screenshot(page, 'pay-cycle-closed');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "shows the API's problem for a period that cannot be closed next, and fits 390 px",
    async () => {
      const { page } = await session.signIn('admin');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${session.ledger.url}/console/#/pay-cycle`);
      await page.getByLabel('Period', { exact: true }).fill('2999-01');
      await page.getByRole('button', { name: 'Show period' }).click();
      // 2025-03 is closed by the test above: the next to close is 2025-04, not this one
      const refused = await session.api('admin', '/periods/2999-01/close-preview');
      const problem = JSON.parse(refused.bytes.toString('utf8'));
      expect([refused.status, problem.code]).toEqual([422, 'PERIOD_NOT_NEXT']);
      const alert = (await page.getByRole('alert').textContent())!;
      for (const part of [problem.title, problem.code, problem.detail]) expect(alert).toContain(part);
      await expectNoSidewaysScroll(page, 390);
      await expectAccessible(page);
      await screenshot(page, 'pay-cycle-390');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe("a person's pay period", () => {
  it(
    'shows the projected figures while open and the sealed statement once closed, as the API does',
    async () => {
      const { page } = await session.signIn('dan');
      await page.getByRole('heading', { name: 'Dan Weber' }).waitFor();
      await page.getByLabel('Period', { exact: true }).fill('2026-01');
      await page.getByRole('button', { name: 'Show pay period' }).click();
      const open = await session.apiJson('dan', '/people/dan/periods/2026-01');
      expect(open.status).toBe('open');
      await page
        .getByTestId('person-period-state')
        .getByText(/is open/)
        .waitFor();
      const totals = [];
      for (const t of open.totals) {
        const row = [t.currency];
        for (const key of ['oneOff', 'residual', 'passive', 'earned', 'notQualified'])
          row.push(await formatted(page, t[key], t.currency));
        totals.push(row);
      }
      expect(await rowsOf(page.getByRole('table', { name: 'Earned in 2026-01 so far' }))).toEqual(totals);
      const lines = page.getByRole('table', { name: 'Lines of 2026-01' }).locator('tbody tr');
      expect(await lines.count()).toBe(open.lines.length);
      await expectAccessible(page);
      await screenshot(page, 'person-period-open');

      // the close above sealed 2025-03 (tests of a file run in order)
      await page.getByLabel('Period', { exact: true }).fill(PERIOD);
      await page.getByRole('button', { name: 'Show pay period' }).click();
      await page
        .getByTestId('person-period-state')
        .getByText(/is closed/)
        .waitFor();
      const closed = await session.apiJson('dan', `/people/dan/periods/${PERIOD}`);
      expect(closed.basis).toBe('final');
      await expectStatements(page, closed.statements);
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
