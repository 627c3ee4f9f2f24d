// The downline tree in a real browser: each member shows what they brought the person, as the API says.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { screenshot } from '../support/browser.js';
import {
  BROWSER_TEST_MS,
  expectAccessible,
  formatted,
  startConsoleSession,
  type ConsoleSession,
} from '../support/console-session.js';

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession();
}, BROWSER_TEST_MS);

afterAll(async () => {
  await session?.close();
});

describe('the downline tree', () => {
  it(
    "shows beside each member what their branch brought the person, the API's figures",
    async () => {
      const { page, complaints } = await session.signIn('reader');
      await page.goto(`${session.ledger.url}/console/#/people/ana`);
      await page.getByRole('button', { name: /Ben Okafor/ }).click();
      await page.getByRole('button', { name: /Cleo Martin/ }).click();
      await page.getByRole('button', { name: /Dan Weber/ }).waitFor();
      const answer = await session.apiJson('reader', '/people/ana/downline/brought');
      expect(answer.members.map((m: any) => m.personId)).toEqual(['ben', 'cleo', 'dan']);
      for (const member of answer.members) {
        const amounts = [];
        for (const a of member.brought) amounts.push(await formatted(page, a.amount, a.currency));
        // the member's own line of the tree, not a member above whose item holds theirs
        const item = page.locator('#downline li').filter({
          has: page.locator(':scope > span.muted', { hasText: `${member.personId} · level ${member.level}` }),
        });
        await expect(item.locator(':scope > [data-testid=brought]').textContent()).resolves.toBe(
          ` · brought ${amounts.join(', ')}`,
        );
      }
      await expectAccessible(page);
      await screenshot(page, 'downline-brought');
      expect(complaints).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
