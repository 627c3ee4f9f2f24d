// `npm run seed -- [--prefix P] [URL]`: posts the sample network of docs/compensation-plan.md
// (scripts/sample-network.json) to a running service and prints everyone's income, to check against the
// hand calculation there. Every command is an idempotent retry: seeding twice records nothing new. A
// store that already has one of its ids with other facts (the README walk-through's ana) is named, and
// --prefix posts the same network under other ids.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadAppConfig, type AppConfig } from '../config/app-config.js';
import { OperatorError } from '../shared/operator-error.js';
import { cliArguments, runCli } from './run-cli.js';

const USAGE = `npm run seed -- [--prefix P] [URL]

Posts the sample network of docs/compensation-plan.md (scripts/sample-network.json) to a running service
and prints everyone's income, to check against the worked example there.

  URL          the service (default: http://HOST:PORT, from HOST and PORT as the service reads them,
               127.0.0.1:3000 unless set)
  --prefix P   put P before every id (rep, sale, subscription, click), e.g. --prefix sample-, to seed a
               store that already has an "ana" of its own (such as after the README walk-through)
  --help       this text

Seeding twice records nothing new (each command is recognised as a retry). With access control on, set
LEDGER_API_KEY to a key with the write and read scopes.`;

const PEOPLE = ['ana', 'ben', 'cleo', 'dan', 'eve', 'fay'];
const ID_FIELDS = new Set(['repId', 'sponsorId', 'saleId', 'subscriptionId', 'clickId', 'affiliateId']);

interface SampleRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** What the service answers, as far as the seed reads it. */
interface Reply {
  readonly status: number;
  readonly body: {
    code?: string;
    detail?: string;
    position?: string;
    totals?: { currency: string; residual: string; passive: string; oneOff: string; total: string }[];
  };
}

interface Seed {
  readonly base: string;
  readonly prefix: string;
  readonly headers: Record<string, string>;
}

/** The sample request with `prefix` before every id it names, in its body and in its path. */
function prefixed({ path, body }: SampleRequest, prefix: string): SampleRequest {
  const entries = Object.entries(body).map(([k, v]) => [k, ID_FIELDS.has(k) && typeof v === 'string' ? prefix + v : v]);
  return {
    path: path.replace(/^\/(subscriptions|sales)\/([^/]+)/, (_, kind: string, id: string) => `/${kind}/${prefix}${id}`),
    body: Object.fromEntries(entries) as Record<string, unknown>,
  };
}

async function send(seed: Seed, method: string, path: string, body?: unknown): Promise<Reply> {
  try {
    const response = await fetch(seed.base + path, {
      method,
      headers: { 'content-type': 'application/json', ...seed.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Reply['body'] };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new OperatorError(
      `cannot reach ${seed.base} (${cause}): is the service running (npm start), on that HOST and PORT?`,
    );
  }
}

function refusal(seed: Seed, request: SampleRequest, answer: Reply): OperatorError {
  const what = `POST ${request.path} answered ${answer.status} ${answer.body.code}: ${answer.body.detail}`;
  if (answer.status === 401 || answer.status === 403)
    return new OperatorError(`${what}; set LEDGER_API_KEY to a key with the write and read scopes`);
  if (answer.status === 409 && /_REUSED$/.test(answer.body.code ?? ''))
    return new OperatorError(
      `${what}: this store already has that id with other facts (the README walk-through's?); ` +
        (seed.prefix
          ? 'choose another --prefix'
          : 'to post the sample network beside them, run npm run seed -- --prefix sample-'),
    );
  return new OperatorError(what);
}

async function postAll(seed: Seed, requests: readonly SampleRequest[]): Promise<string> {
  let position = '0';
  for (const request of requests.map((r) => prefixed(r, seed.prefix))) {
    const answer = await send(seed, 'POST', request.path, request.body);
    if (answer.status !== 201 && answer.status !== 200) throw refusal(seed, request, answer);
    console.log(`${answer.status} POST ${request.path} ${answer.status === 201 ? 'recorded' : 'already recorded'}`);
    position = answer.body.position ?? position;
  }
  return position;
}

async function printIncome(seed: Seed, position: string): Promise<void> {
  console.log('\nincome per person (residual / passive / one-off / total):');
  const width = Math.max(...PEOPLE.map((p) => seed.prefix.length + p.length));
  for (const person of PEOPLE.map((p) => seed.prefix + p)) {
    const answer = await send(seed, 'GET', `/people/${person}/income?minPosition=${position}`);
    if (answer.status === 401 || answer.status === 403)
      throw new OperatorError(
        `the sample network is recorded, but the key cannot read income (${answer.status} ${answer.body.code}): ` +
          'set LEDGER_API_KEY to a key with the write and read scopes to see the figures',
      );
    if (answer.status !== 200)
      throw new OperatorError(`GET /people/${person}/income answered ${answer.status} ${answer.body.code}`);
    for (const t of answer.body.totals ?? [])
      console.log(
        `  ${person.padEnd(width)} ${t.currency}  ${t.residual.padStart(8)} ${t.passive.padStart(8)} ${t.oneOff.padStart(8)} ${t.total.padStart(8)}`,
      );
  }
}

function seedOf(config: AppConfig, url: string | undefined, prefix: string): Seed {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const base = (url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^/]+$/.test(base))
    throw new OperatorError(`the URL must be the service's address, like http://127.0.0.1:3000 (got "${url}")`);
  const headers: Record<string, string> = config.LEDGER_API_KEY
    ? { authorization: `Bearer ${config.LEDGER_API_KEY}` }
    : {};
  return { base, prefix, headers };
}

await runCli('npm run seed', async () => {
  const { values, positionals } = cliArguments('npm run seed', USAGE, { prefix: { type: 'string', default: '' } });
  if (positionals.length > 1) throw new OperatorError(`give at most one URL (got ${positionals.join(' ')})`);
  if (!/^[A-Za-z0-9._:-]{0,32}$/.test(values.prefix))
    throw new OperatorError(`--prefix must be up to 32 letters, digits or . _ : - (got "${values.prefix}")`);
  const seed = seedOf(loadAppConfig(), positionals[0], values.prefix);
  const requests = JSON.parse(
    readFileSync(new URL('../../scripts/sample-network.json', import.meta.url), 'utf8'),
  ) as SampleRequest[];
  console.log(`seeding ${seed.base}${seed.prefix ? ` (ids prefixed ${seed.prefix})` : ''}`);
  await printIncome(seed, await postAll(seed, requests));
  return 0;
});
