import type { Schemas } from '../../api/client';
import { Money } from '../../components/money';
import { Empty } from '../../components/states';
import { formatDate } from '../../format';

type Comparison = NonNullable<Schemas['StatementAnswer']['comparison']>;
type Line = Schemas['HistoryLine'];

const describe = (l: Line) =>
  `${formatDate(l.occurredAt)} ${l.rule} ${l.kind} (${l.source.eventType} ${l.source.stream})`;

/** What changed between the statement as the ledger knew it then and today, each change highlighted. */
export function Comparison({ comparison: c }: { comparison: Comparison }) {
  const none = c.added.length + c.reversed.length + c.repriced.length + c.dropped.length + c.closing.length === 0;
  return (
    <section class="comparison" aria-labelledby="comparison-title">
      <h3 id="comparison-title">Differences to today</h3>
      {none && <Empty>Nothing has changed since.</Empty>}
      {c.closing.length > 0 && (
        <table class="data-table">
          <caption>Closing balances that changed</caption>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Kind</th>
              <th scope="col">Then</th>
              <th scope="col">Now</th>
              <th scope="col">Difference</th>
            </tr>
          </thead>
          <tbody>
            {c.closing.map((b) => (
              <tr key={`${b.currency}-${b.kind}`} class="changed">
                <td>{b.currency}</td>
                <td>{b.kind}</td>
                <td>
                  <Money amount={b.then} currency={b.currency} />
                </td>
                <td>
                  <Money amount={b.now} currency={b.currency} />
                </td>
                <td>
                  <mark>
                    <Money amount={b.difference} currency={b.currency} />
                  </mark>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Changes
        title="Added since (facts recorded later)"
        items={c.added.map((l) => ({
          key: l.source.position + l.rule,
          text: describe(l),
          amount: l.amount,
          currency: l.currency,
        }))}
      />
      <Changes
        title="Reversed by refunds recorded since"
        items={c.reversed.map((r) => ({
          key: r.line.source.position + r.line.rule,
          text: describe(r.line),
          amount: r.line.amount,
          currency: r.line.currency,
        }))}
      />
      <Changes
        title="Priced differently now"
        items={c.repriced.map((r) => ({
          key: r.now.source.position + r.now.rule,
          text: describe(r.now),
          amount: r.difference,
          currency: r.now.currency,
        }))}
      />
      <Changes
        title="No longer produced"
        items={c.dropped.map((l) => ({
          key: l.source.position + l.rule,
          text: describe(l),
          amount: l.amount,
          currency: l.currency,
        }))}
      />
    </section>
  );
}

function Changes({
  title,
  items,
}: {
  title: string;
  items: { key: string; text: string; amount: string; currency: string }[];
}) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul class="changes">
        {items.map((i) => (
          <li key={i.key} class="changed">
            <mark>
              <Money amount={i.amount} currency={i.currency} />
            </mark>{' '}
            {i.text}
          </li>
        ))}
      </ul>
    </>
  );
}
