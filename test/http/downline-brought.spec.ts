// What each member of a downline brought the person, over HTTP, on the sample network (ana ← ben ← cleo ←
// dan ← eve; eve sold the subscription S-1 / SUB-1, dan the single sale S-2, cleo S-3, ben S-4).
// Checked against the person's own override lines in their history, attributed by who sold what.
import { describe, expect, it } from '@jest/globals';
import { withSampleNetwork, type TestApp } from '../support/test-app.js';

/** Who earned each sample stream's income: the seller of the sale, the owner of the subscription. */
const SELLER_OF_STREAM: Record<string, string> = {
  'sale-S-1': 'eve',
  'subscription-SUB-1': 'eve',
  'sale-S-2': 'dan',
  'sale-S-3': 'cleo',
  'sale-S-4': 'ben',
  'sale-S-5': 'ana',
  'subscription-SUB-2': 'ana',
};
const BRANCH: Record<string, string[]> = {
  ben: ['ben', 'cleo', 'dan', 'eve'],
  cleo: ['cleo', 'dan', 'eve'],
  dan: ['dan', 'eve'],
  eve: ['eve'],
};

describe('what each member of a downline brought', () => {
  let ledger: TestApp;
  let head: string;

  withSampleNetwork((app, position) => ((ledger = app), (head = position)));

  /** The person's override lines from `members`' sales, summed per currency in minor units, as decimals. */
  async function overridesFrom(personId: string, members: string[]): Promise<{ currency: string; amount: string }[]> {
    const history = await ledger.get(`/people/${personId}/history?limit=1000&minPosition=${head}`);
    const sums = new Map<string, { minor: bigint; digits: number }>();
    for (const line of history.body.lines) {
      if (line.rule !== 'override' || !members.includes(SELLER_OF_STREAM[line.source.stream]!)) continue;
      const [whole, fraction = ''] = line.amount.split('.');
      const entry = sums.get(line.currency) ?? { minor: 0n, digits: fraction.length };
      entry.minor += BigInt(`${whole}${fraction}`);
      sums.set(line.currency, entry);
    }
    return [...sums.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, { minor, digits }]) => {
        const text = minor.toString().padStart(digits + 1, '0');
        return { currency, amount: digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}` };
      });
  }

  it.each(['ana', 'ben', 'cleo', 'dan'])(
    "credits %s's overrides to every member on the way to the seller",
    async (personId) => {
      const answer = await ledger.get(`/people/${personId}/downline/brought?minPosition=${head}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ personId, position: head, unattributed: [] });
      expect(answer.body.members.length).toBeGreaterThan(0);
      for (const member of answer.body.members) {
        expect(member.brought).toEqual(await overridesFrom(personId, BRANCH[member.personId]!));
      }
      const everyOverride = await overridesFrom(personId, Object.values(SELLER_OF_STREAM));
      const level1 = answer.body.members.filter((m: any) => m.level === 1);
      expect(level1.flatMap((m: any) => m.brought)).toEqual(everyOverride);
    },
  );

  it("gives dan the overrides on eve's subscription sale and renewals, 2.50 USD each (the worked example)", async () => {
    const answer = await ledger.get(`/people/dan/downline/brought?minPosition=${head}`);
    expect(answer.body.members).toEqual([
      { personId: 'eve', level: 1, brought: [{ currency: 'USD', amount: '7.50' }] },
    ]);
  });

  it('brings nothing to someone with no downline, and 404 for someone unknown', async () => {
    expect((await ledger.get('/people/eve/downline/brought')).body).toMatchObject({ members: [], unattributed: [] });
    const nobody = await ledger.get('/people/nobody/downline/brought');
    expect([nobody.status, nobody.body.code]).toEqual([404, 'PERSON_UNKNOWN']);
  });
});
