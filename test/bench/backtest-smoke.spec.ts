// `npm run backtest` as a command: on the benchmark's workload, and on a stored log given with --log
// (the hand log of src/income/forecast/backtest.spec.ts, posted over HTTP). Figures, never timings.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postAll, removeDir, startTestApp, tempDir, type SampleRequest } from '../support/test-app.js';

const dir = tempDir('backtest-smoke-');
afterAll(() => removeDir(dir));

// dist/ is built by `npm test`'s pretest
const backtest = async (...args: string[]) =>
  JSON.parse((await promisify(execFile)(process.execPath, ['dist/cli/backtest.js', '--json', ...args])).stdout);

const subscriptionSale = (n: string): SampleRequest => ({
  path: '/sales',
  body: {
    saleId: `S-${n}`,
    repId: 'a',
    customerId: `C-${n}`,
    amount: '10.00',
    currency: 'USD',
    kind: 'subscription',
    subscriptionId: `SUB-${n}`,
    occurredAt: '2025-01-01T10:00:00Z',
  },
});
const renewal = (month: string): SampleRequest => ({
  path: '/subscriptions/SUB-1/renewals',
  body: { renewalId: `R${month}`, amount: '10.00', currency: 'USD', renewedAt: `2025-${month}-01T10:00:00Z` },
});
const cancellation = (n: string, day: string): SampleRequest => ({
  path: `/subscriptions/SUB-${n}/cancellation`,
  body: { reason: 'customer left', cancelledAt: `${day}T10:00:00Z` },
});

describe('npm run backtest', () => {
  it('compares forecasts with the baseline at three cut-offs of the benchmark workload', async () => {
    const rows = await backtest('--events', '4000');
    expect(new Set(rows.map((r: { asOfTime: string }) => r.asOfTime)).size).toBe(3);
    for (const row of rows) {
      expect(row.currency).toMatch(/^[A-Z]{3}$/);
      expect(typeof row.perPerson.forecast.wmape).toBe('number');
      expect(typeof row.total.baseline.wmape).toBe('number');
    }
  });

  it('reads any stored log: the hand log gives the hand figures', async () => {
    const app = await startTestApp({ dir });
    await postAll(app, [
      { path: '/reps', body: { repId: 'a', name: 'A', recruitedAt: '2024-01-01T10:00:00Z' } },
      subscriptionSale('1'),
      subscriptionSale('2'),
      cancellation('2', '2025-01-20'),
      renewal('02'),
      renewal('03'),
      renewal('04'),
      renewal('05'),
      cancellation('1', '2025-05-15'),
    ]);
    await app.stop();
    const rows = await backtest('--log', join(dir, 'events.sqlite'), '--cutoffs', '2025-03-01T12:00:00Z');
    expect(rows).toHaveLength(1);
    expect(rows[0].perPerson).toEqual({
      forecast: { absoluteError: '178', actual: '200', wmape: 0.89 },
      baseline: { absoluteError: '1000', actual: '200', wmape: 5 },
    });
  });
});
