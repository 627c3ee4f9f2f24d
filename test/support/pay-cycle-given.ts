// The facts the pay-cycle suites post over HTTP: reps, sales, renewals and refunds in USD, and the loop
// that posts them in order. One place, so the worked examples and the properties build facts alike.
import { postAll, type SampleRequest, type TestApp } from './test-app.js';

/** When the reps of the pay-cycle examples were recruited: before any of their sales. */
export const RECRUITED_AT = '2025-01-01T09:00:00Z';

export const rep = (repId: string, sponsorId: string | null): SampleRequest => ({
  path: '/reps',
  body: { repId, sponsorId, name: repId, recruitedAt: RECRUITED_AT },
});

/** A single sale in USD, or with `subscriptionId` the sale that starts that subscription. */
export const sale = (
  saleId: string,
  repId: string,
  amount: string,
  occurredAt: string,
  subscriptionId?: string,
): SampleRequest => ({
  path: '/sales',
  body: {
    saleId,
    repId,
    customerId: `C-${saleId}`,
    amount,
    currency: 'USD',
    ...(subscriptionId === undefined ? { kind: 'single' } : { kind: 'subscription', subscriptionId }),
    occurredAt,
  },
});

export const renewal = (subscriptionId: string, renewalId: string, amount: string, renewedAt: string) => ({
  path: `/subscriptions/${subscriptionId}/renewals`,
  body: { renewalId, amount, currency: 'USD', renewedAt },
});

export const refund = (saleId: string, refundId: string, amount: string, refundedAt: string) => ({
  path: `/sales/${saleId}/refunds`,
  body: { refundId, amount, currency: 'USD', reason: 'returned', refundedAt },
});

/** Posts the requests in order (each must answer 201) and returns the position of the last one. */
export async function post(ledger: TestApp, requests: readonly SampleRequest[]): Promise<string> {
  return (await postAll(ledger, requests)).body.position;
}

/** Waits until a service started under a changed plan has rebuilt its read model and serves it. */
export async function waitForRebuild(ledger: TestApp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const status = (await ledger.get('/projections')).body;
    if (status.rebuild === null || status.rebuild.state !== 'running') {
      if (status.planChange === null) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the rebuild did not finish');
}
