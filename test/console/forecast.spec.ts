// The forecast and book value pages in a real browser: the figures on the page are the API's for the same
// inputs, the inputs (H, r, ω, as-of) drive the query, a refused input shows the API's problem.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser.js';
import {
  BROWSER_TEST_MS,
  expectAccessible,
  expectNoSidewaysScroll,
  formatted,
  rowsOf,
  startConsoleSession,
  type ConsoleSession,
} from '../support/console-session.js';
import type { SampleRequest } from '../support/test-app.js';

// The sample network's subscriptions have all lapsed by its last fact; two still running are added, so
// there is something to forecast, in two currencies.
const RUNNING: SampleRequest[] = [
  sale('S-F1', 'dan', '30.00', 'USD', 'SUB-F1', '2025-11-01T10:00:00Z'),
  renewal('SUB-F1', '2025-12', '30.00', 'USD', '2025-12-01T10:00:00Z'),
  renewal('SUB-F1', '2026-01', '30.00', 'USD', '2026-01-01T10:00:00Z'),
  sale('S-F2', 'cleo', '20.00', 'EUR', 'SUB-F2', '2025-12-10T10:00:00Z'),
  renewal('SUB-F2', '2026-01', '20.00', 'EUR', '2026-01-10T10:00:00Z'),
];

function sale(saleId: string, repId: string, amount: string, currency: string, sub: string, at: string) {
  return {
    path: '/sales',
    body: {
      saleId,
      repId,
      customerId: `C-${saleId}`,
      amount,
      currency,
      kind: 'subscription',
      subscriptionId: sub,
      occurredAt: at,
    },
  };
}
function renewal(sub: string, renewalId: string, amount: string, currency: string, at: string) {
  return { path: `/subscriptions/${sub}/renewals`, body: { renewalId, amount, currency, renewedAt: at } };
}

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ more: RUNNING });
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

const VALUATION_FIELDS = [
  'presentValueOfForecast',
  'finalYearIncome',
  'continuingValue',
  'presentValueOfContinuingValue',
  'bookValue',
  'low',
  'high',
] as const;
const MONTH_FIELDS = ['oneOff', 'residual', 'passive', 'total', 'low', 'high'] as const;

/** The valuation table and the first currency's months, as the page must show the API's answer. */
async function expectPageShows(page: Page, answer: any): Promise<void> {
  const valuation = [];
  for (const v of answer.valuation) {
    const row = [v.currency];
    for (const f of VALUATION_FIELDS) row.push(await formatted(page, v[f], v.currency));
    valuation.push(row);
  }
  expect(await rowsOf(page.locator('#valuation'))).toEqual(valuation);
  const first = answer.currencies[0];
  const months = await rowsOf(page.locator('#forecast'));
  expect(months).toHaveLength(answer.horizonMonths);
  for (const [i, m] of first.months.entries()) {
    const expected = [];
    for (const f of MONTH_FIELDS) expected.push(await formatted(page, m[f], first.currency));
    expect([months[i]![0], ...months[i]!.slice(2)]).toEqual([String(m.month), ...expected]);
  }
  await expect(page.getByTestId('forecast-horizon').textContent()).resolves.toContain(
    await formatted(page, first.horizon.total, first.currency),
  );
}

describe("a person's forecast and book value", () => {
  it(
    'shows the API’s figures, labelled an estimate, with the API’s defaults as inputs',
    async () => {
      const { page, complaints } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/cleo`);
      await page.getByRole('link', { name: 'Forecast and book value' }).click();
      await page.locator('#valuation tbody tr').first().waitFor();
      const answer = await session.apiJson('reader', '/people/cleo/valuation');
      expect(answer.valuation.length).toBeGreaterThan(1);
      await expectPageShows(page, answer);
      await expect(page.getByRole('note').textContent()).resolves.toContain('An estimate, not a promise');
      await expect(page.locator('#forecast canvas').count()).resolves.toBe(1);
      await expect(page.getByLabel('Horizon H (months)').inputValue()).resolves.toBe(String(answer.horizonMonths));
      await expect(page.getByLabel('Required rate r').inputValue()).resolves.toBe(answer.requiredRate);
      await expect(page.getByLabel('Persistence ω').inputValue()).resolves.toBe(answer.persistence);
      // the forecast route gives the same months as the valuation the page asked
      const forecast = await session.apiJson('reader', '/people/cleo/forecast');
      expect(forecast.currencies).toEqual(answer.currencies);
      await expectAccessible(page);
      await screenshot(page, 'forecast');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'asks again with the inputs typed in, and as the ledger knew it at an earlier position',
    async () => {
      const { page } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/dan/forecast`);
      await page.locator('#valuation tbody tr').first().waitFor();
      const before = await session.apiJson('reader', '/people/dan/valuation');
      const earlier = String(BigInt(before.position) - 1n);
      await page.getByLabel('Horizon H (months)').fill('24');
      await page.getByLabel('Required rate r').fill('0.08');
      await page.getByLabel('Persistence ω').fill('0.9');
      await page.getByLabel('As of position').fill(earlier);
      await page.getByLabel('As of position').press('Enter');
      await page.getByTestId('forecast-basis').getByText(`As of position ${earlier}`).waitFor();
      const answer = await session.apiJson(
        'reader',
        `/people/dan/valuation?horizonMonths=24&requiredRate=0.08&persistence=0.9&asOf=${earlier}`,
      );
      expect(answer.valuation[0].continuingValue).not.toBe(before.valuation[0].continuingValue);
      await expectPageShows(page, answer);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows the API’s problem for a refused input',
    async () => {
      const { page } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/dan/forecast`);
      await page.locator('#valuation tbody tr').first().waitFor();
      await page.getByLabel('Required rate r').fill('2');
      await page.getByRole('button', { name: 'Forecast' }).click();
      const refused = await session.api(
        'reader',
        '/people/dan/valuation?horizonMonths=60&requiredRate=2&persistence=0.5',
      );
      const problem = JSON.parse(refused.bytes.toString('utf8'));
      expect(refused.status).toBe(400);
      const alert = (await page.getByRole('alert').textContent())!;
      for (const part of [problem.title, problem.code, problem.detail]) expect(alert).toContain(part);
      await expectAccessible(page);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "is a rep's own page too, and fits 390 px",
    async () => {
      const { page } = await session.signIn('dan');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${session.ledger.url}/console/#/people/dan/forecast`);
      await page.locator('#valuation tbody tr').first().waitFor();
      await expectPageShows(page, await session.apiJson('dan', '/people/dan/valuation'));
      await expectNoSidewaysScroll(page, 390);
      await expectAccessible(page);
      await screenshot(page, 'forecast-390');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});

describe("the programme's forecast", () => {
  it(
    'is one link away for a reader of everyone, with the API’s figures',
    async () => {
      const { page } = await session.signIn('reader');
      await page.getByRole('link', { name: 'Programme forecast' }).click();
      await page.getByRole('heading', { name: 'Forecast and book value of the programme' }).waitFor();
      await page.locator('#valuation tbody tr').first().waitFor();
      await expectPageShows(page, await session.apiJson('reader', '/programme/valuation'));
      await expectAccessible(page);
      await screenshot(page, 'forecast-programme');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
