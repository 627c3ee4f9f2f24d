import { describe, expect, it } from '@jest/globals';
import { generateWorkload } from './workload.js';

describe('the benchmark workload', () => {
  it('posts a cancellation when a subscription churns, if asked, and is otherwise the same workload', () => {
    const plain = generateWorkload(3000);
    const withCancellations = generateWorkload(3000, undefined, { cancellations: true });
    const cancellations = withCancellations.requests.filter((r) => r.path.endsWith('/cancellation'));
    expect(plain.requests.some((r) => r.path.endsWith('/cancellation'))).toBe(false);
    expect(cancellations.length).toBeGreaterThan(10);
    const rest = withCancellations.requests.filter((r) => !r.path.endsWith('/cancellation'));
    expect(rest).toEqual(plain.requests.slice(0, rest.length));
  });

  it('cancels a few days before the renewal that is then not paid, so renewals stop there', () => {
    const { requests } = generateWorkload(3000, undefined, { cancellations: true });
    for (const c of requests.filter((r) => r.path.endsWith('/cancellation'))) {
      const id = /^\/subscriptions\/([^/]+)\//.exec(c.path)![1]!;
      const later = requests.filter(
        (r) => r.path === `/subscriptions/${id}/renewals` && r.body.renewedAt! >= c.body.cancelledAt!,
      );
      expect(later).toEqual([]);
    }
  });
});
