import { formatMoney, minorOf } from '../format';

/** An amount in its currency, in the reader's locale; negative amounts marked. */
export function Money({ amount, currency }: { amount: string; currency: string }) {
  const negative = minorOf(amount) < 0n;
  return <span class={negative ? 'money negative' : 'money'}>{formatMoney(amount, currency)}</span>;
}
