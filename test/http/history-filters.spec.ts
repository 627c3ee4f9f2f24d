// The history's filters over HTTP (kind, rule, currency, business-time range): each answer is the person's
// whole history narrowed to the lines that match, in log order, and paging through it gives every such line
// once. On the sample network, whose people earn in several currencies, kinds and rules.
import { describe, expect, it } from '@jest/globals';
import { withSampleNetwork, type TestApp } from '../support/test-app.js';

describe("a person's history, filtered", () => {
  let ledger: TestApp;
  let head: string;

  withSampleNetwork((app, position) => ((ledger = app), (head = position)));

  const everything = async (personId: string) =>
    (await ledger.get(`/people/${personId}/history?limit=1000&minPosition=${head}`)).body.lines as any[];

  /** Every page of a filtered history, `limit` lines at a time. */
  async function allPages(personId: string, filters: string, limit: number): Promise<any[]> {
    const lines: any[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null && pages < 100; pages++) {
      const answer = await ledger.get(
        `/people/${personId}/history?${filters}&limit=${limit}${cursor === '' ? '' : `&cursor=${cursor}`}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.lines.length).toBeLessThanOrEqual(limit);
      lines.push(...answer.body.lines);
      cursor = answer.body.nextCursor;
    }
    return lines;
  }

  it.each([
    ['ana', 'kind=residual', (l: any) => l.kind === 'residual'],
    ['ana', 'rule=override', (l: any) => l.rule === 'override'],
    ['ana', 'currency=KWD', (l: any) => l.currency === 'KWD'],
    ['dan', 'kind=passive&rule=override&currency=USD', (l: any) => l.kind === 'passive' && l.rule === 'override'],
    [
      'dan',
      'from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&currency=USD',
      (l: any) => l.occurredAt >= '2025-02-01' && l.occurredAt < '2026-01-01' && l.currency === 'USD',
    ],
  ])('%s with %s: the lines that match, in log order, each once across pages', async (personId, filters, matches) => {
    const expected = (await everything(personId)).filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    const onePage = await ledger.get(`/people/${personId}/history?${filters}`);
    expect(onePage.body.lines).toEqual(expected);
    expect(await allPages(personId, filters, 1)).toEqual(expected);
  });

  it('answers no lines for a filter nothing matches, and refuses a kind, rule or currency it does not know', async () => {
    expect((await ledger.get('/people/dan/history?currency=JPY')).body).toMatchObject({ lines: [], nextCursor: null });
    for (const bad of ['kind=recurring', 'rule=bonus', 'currency=usd']) {
      const refused = await ledger.get(`/people/dan/history?${bad}`);
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});
