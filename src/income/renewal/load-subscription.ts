import { saleStream, subscriptionStream, type SaleMadeData } from '../events.js';
import type { LedgerStreams, LoadedStream } from '../ledger-streams.js';
import { saleState } from '../sale/sale.decider.js';
import { subscriptionState, type SubscriptionState } from './renewal.decider.js';

/** A subscription's stream and state, with the SaleMade of the sale that claimed it (null when not recorded). */
export async function loadSubscription(
  streams: LedgerStreams,
  subscriptionId: string,
): Promise<{ loaded: LoadedStream; state: SubscriptionState; sale: SaleMadeData | null }> {
  const loaded = await streams.load(subscriptionStream(subscriptionId));
  const state = subscriptionState(loaded.events);
  const sale = state.started === null ? null : saleState((await streams.load(saleStream(state.started.saleId))).events);
  return { loaded, state, sale: sale?.status === 'made' ? sale.sale : null };
}
