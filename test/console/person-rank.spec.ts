// A person's pay period under a plan with ranks, in a real browser against the real service: the rank the
// API gives the period, and why a line is not qualified, as the API says.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BROWSER_TEST_MS, rowsOf, startConsoleSession, type ConsoleSession } from '../support/console-session.js';
import { rep, sale } from '../support/pay-cycle-given.js';

let session: ConsoleSession;

beforeAll(async () => {
  // dan sells 600.00 more in March 2025 (a Manager: 2 levels), and gil, three levels below him, 100.00
  const march = '2025-03-20T10:00:00Z';
  const more = [
    sale('RANK-1', 'dan', '600.00', march),
    rep('fox', 'eve'),
    rep('gil', 'fox'),
    sale('RANK-2', 'gil', '100.00', march),
  ];
  session = await startConsoleSession({ overrides: { PLAN_FILE: 'plans/ranks-example.plan.json' }, more });
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

describe("a person's pay period under ranks", () => {
  it(
    'shows the rank reached and its override levels, and the reason of a line not qualified',
    async () => {
      // given the sample network under the ranks example plan, and dan's March 2025 as the API answers it
      const answer = await session.apiJson('dan', '/people/dan/periods/2025-03');
      expect(answer.rank).toEqual({ name: expect.any(String), overrideLevels: expect.any(Number) });
      expect(answer.rank.overrideLevels).toBeGreaterThan(0);
      const counted: string[] = answer.lines.map((l: { counted: string; notQualifiedReason?: string }) =>
        l.notQualifiedReason === undefined ? l.counted : `${l.counted} (${l.notQualifiedReason})`,
      );
      expect(counted).toContain('notQualified (rank)');
      const { page } = await session.signIn('dan');
      await page.getByRole('heading', { name: 'Dan Weber' }).waitFor();
      // when dan opens that period
      await page.getByLabel('Period', { exact: true }).fill('2025-03');
      await page.getByRole('button', { name: 'Show pay period' }).click();
      // then the page names the rank and its levels
      const levels = `${answer.rank.overrideLevels} override level${answer.rank.overrideLevels === 1 ? '' : 's'}`;
      await page.getByTestId('person-period-rank').getByText(`Rank ${answer.rank.name}: ${levels}.`).waitFor();
      // and each line says how it counts, with the reason when it is not qualified
      const rows = await rowsOf(page.getByRole('table', { name: 'Lines of 2025-03' }));
      expect(rows.map((cells) => cells[cells.length - 1]).sort()).toEqual([...counted].sort());
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
