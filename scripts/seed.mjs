#!/usr/bin/env node
// `npm run seed`: posts the sample network of docs/compensation-plan.md to a running service and
// prints everyone's income. Usage: npm run seed [-- http://127.0.0.1:3000]
// With access control on, set LEDGER_API_KEY to a key with the write and read scopes.
import { readFileSync } from 'node:fs';

const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const auth = process.env.LEDGER_API_KEY ? { authorization: `Bearer ${process.env.LEDGER_API_KEY}` } : {};
const requests = JSON.parse(readFileSync(new URL('./sample-network.json', import.meta.url), 'utf8'));

let position = '0';
for (const { path, body } of requests) {
  let response;
  try {
    response = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
  } catch (error) {
    console.error(`cannot reach ${base}: ${error.cause?.code ?? error.message}. Is the service running (npm start)?`);
    process.exit(1);
  }
  const answer = await response.json();
  const verdict =
    response.status === 201 ? 'recorded' : response.status === 200 ? 'already recorded' : `refused: ${answer.code}`;
  console.log(`${response.status} POST ${path} ${verdict}`);
  if (response.status >= 300) process.exit(1);
  position = answer.position;
}

console.log('\nincome per person (residual / passive / one-off / total):');
for (const person of ['ana', 'ben', 'cleo', 'dan', 'eve', 'fay']) {
  const income = await (
    await fetch(`${base}/people/${person}/income?minPosition=${position}`, { headers: auth })
  ).json();
  for (const t of income.totals) {
    console.log(
      `  ${person.padEnd(5)} ${t.currency}  ${t.residual.padStart(8)} ${t.passive.padStart(8)} ${t.oneOff.padStart(8)} ${t.total.padStart(8)}`,
    );
  }
}
