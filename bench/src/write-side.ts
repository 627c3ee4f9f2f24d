// The write side's figures alone (B1, B2, B11's read), with the CPU seconds of each process, for profiling
// and A/B runs without the whole of `npm run bench` (docs/performance.md, "The write side at speed"):
//   node dist-bench/bench/src/write-side.js prepare WORK [SIZE]   → WORK/prefix.sqlite (the log before B1) and WORK/tail.json
//   node dist-bench/bench/src/write-side.js b1 WORK               → B1 and its raw-insert baseline, on copies of the prefix
//   node dist-bench/bench/src/write-side.js b2 WORK [SECONDS]     → B2 and its bare-route baseline (servers in children)
//   node dist-bench/bench/src/write-side.js b11 WORK              → $all read through the real client from the stand-in
// PROFILE=DIR: --cpu-prof the children (B2's servers, B11's reader) into DIR; for B1 run this script under --cpu-prof.
// Prints one JSON line per figure.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { loadAppConfig } from '../../src/config/app-config.js';
import { copyLog } from '../../src/event-store/copy-log.js';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { openSqlite } from '../../src/event-store/sqlite/open-sqlite.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { decidedAppends, generateWorkload, toCommand, type BenchRequest } from '../../src/workload/workload.js';
import { BenchCommandModule } from './command-module.js';
import { postSales, startServer } from './sales-load.js';

const [mode, work, arg] = process.argv.slice(2);
if (work === undefined) throw new Error('usage: write-side.js prepare|b1|b2|b11 WORK [SIZE|SECONDS]');
const B1_COMMANDS = 20_000;
const prefixPath = join(work, 'prefix.sqlite');
const readModelsPath = join(work, 'read-models-prefix');
const PLAN = 'plans/default.plan.json';
const profile = (name: string) =>
  process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.PROFILE, name)}`] : [];
const cpuSeconds = (since?: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const userSeconds = (since?: NodeJS.CpuUsage) => process.cpuUsage(since).user / 1e6;
const print = (figure: object) => console.log(JSON.stringify({ ...figure, load1m: loadavg()[0] }));

async function prepare(size: number): Promise<void> {
  rmSync(work!, { recursive: true, force: true });
  mkdirSync(work!, { recursive: true });
  const workload = generateWorkload(size);
  const tail = workload.requests.slice(workload.requests.length - B1_COMMANDS);
  const prefix = workload.requests.slice(0, workload.requests.length - tail.length);
  const store = new SqliteEventStore(prefixPath);
  const recordedAt = new Date().toISOString();
  for (let i = 0; i < prefix.length; i += 2_000) {
    const appends = prefix
      .slice(i, i + 2_000)
      .flatMap((r, j) => decidedAppends(r, { correlationId: `bulk-${i + j}` }, recordedAt));
    await Promise.all(appends.map((a) => store.append(a.stream, a.events, a.expected)));
  }
  await store.close();
  // B2 sells for reps the prefix recruited: the tail's recruits are not in the log B2's server starts on
  const reps = prefix.filter((r) => r.path === '/reps').map((r) => r.body.repId!);
  writeFileSync(join(work!, 'tail.json'), JSON.stringify({ tail, reps }));
  // B2's server starts on read models that have folded the log, as in bench.ts (after B3), not on a catch-up
  const rebuild = fork(new URL('./rebuild-child.js', import.meta.url), ['fold', prefixPath, readModelsPath, PLAN], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const code = await new Promise<number | null>((done) => rebuild.on('exit', done));
  if (code !== 0) throw new Error(`the rebuild of the prefix exited with ${code}`);
}

/** A copy of the prefix at `path`, without the WAL a killed server left beside an earlier copy (SQLite would apply it). */
function copyOfPrefix(path: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
  copyFileSync(prefixPath, path);
}

function workloadTail(): { tail: BenchRequest[]; reps: string[] } {
  return JSON.parse(readFileSync(join(work!, 'tail.json'), 'utf8')) as { tail: BenchRequest[]; reps: string[] };
}

/** B1 as bench.ts measures it, and the CPU seconds of this process over the commands. */
async function b1(): Promise<void> {
  const { tail } = workloadTail();
  const logPath = join(work!, 'b1.sqlite');
  copyOfPrefix(logPath);
  const config = loadAppConfig({ EVENT_STORE_PATH: logPath, LOG_LEVEL: 'silent' }, {});
  const context = await NestFactory.createApplicationContext(BenchCommandModule.register(config), { logger: false });
  const bus = context.get(CommandBus);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < tail.length; i++) {
    const outcome = await bus.execute(toCommand(tail[i]!, { correlationId: `b1-${i}` }));
    if (!outcome.created) throw new Error(`B1 request ${i} wrote nothing`);
  }
  const [ms, cpuS, userS] = [performance.now() - started, cpuSeconds(cpu), userSeconds(cpu)];
  await context.close();
  const base = rawInsert(logPath, join(work!, 'b1-baseline.sqlite'));
  print({
    figure: 'B1',
    commandsPerSecond: Math.round((tail.length / ms) * 1000),
    cpuSeconds: cpuS,
    userSeconds: userS,
    cpuMicrosecondsPerCommand: Math.round((cpuS / tail.length) * 1e6),
    baselinePerSecond: Math.round((base.commands / base.ms) * 1000),
    baselineCpuSeconds: base.cpuS,
    baselineUserSeconds: base.userS,
    ratio: Number((tail.length / ms / (base.commands / base.ms)).toFixed(2)),
  });
}

/** B1's baseline, as in bench.ts: B1's rows, one IMMEDIATE transaction per command, into a copy of the prefix. */
function rawInsert(logPath: string, copyPath: string): { ms: number; commands: number; cpuS: number; userS: number } {
  copyOfPrefix(copyPath);
  const after = headOf(prefixPath);
  const source = new Database(logPath, { readonly: true });
  type Row = { event_id: string; stream: string; revision: number; type: string; data: string; metadata: string };
  const rows = source
    .prepare<[number], Row>('SELECT event_id, stream, revision, type, data, metadata FROM events WHERE position > ?')
    .all(after);
  source.close();
  const byCommand = new Map<string, Row[]>();
  for (const row of rows) {
    const key = (JSON.parse(row.metadata) as { correlationId: string }).correlationId;
    byCommand.set(key, [...(byCommand.get(key) ?? []), row]);
  }
  const db = openSqlite(copyPath);
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const group of byCommand.values())
    db.transaction(() => {
      for (const r of group) insert.run(r.event_id, r.stream, r.revision, r.type, r.data, r.metadata);
    }).immediate();
  const result = {
    ms: performance.now() - started,
    commands: byCommand.size,
    cpuS: cpuSeconds(cpu),
    userS: userSeconds(cpu),
  };
  db.close();
  return result;
}

function headOf(path: string): number {
  const db = new Database(path, { readonly: true });
  const head = db.prepare<[], { p: number | null }>('SELECT MAX(position) AS p FROM events').get()?.p ?? 0;
  db.close();
  return head;
}

/** B2 (and its baseline) on copies of the prefix; the server's CPU seconds per acknowledged sale. */
async function b2(seconds: number): Promise<void> {
  const { reps } = workloadTail();
  const run = async (name: string, args: string[], execArgv: string[]) => {
    const server = await startServer(args, execArgv);
    try {
      await postSales(server.url, reps, 'warm', 1);
      const cpuAtStart = server.cpuSeconds();
      const result = await postSales(server.url, reps, 'b2', seconds);
      const cpuS = server.cpuSeconds() - cpuAtStart;
      return { ...result, cpuS, cpuMicrosecondsPerSale: Math.round((cpuS / result.ok) * 1e6), name };
    } finally {
      await server.stop();
    }
  };
  const [appLog, bareLog] = [join(work!, 'b2.sqlite'), join(work!, 'b2-bare.sqlite')];
  copyOfPrefix(appLog);
  copyOfPrefix(bareLog);
  rmSync(join(work!, 'read-models'), { recursive: true, force: true });
  cpSync(readModelsPath, join(work!, 'read-models'), { recursive: true });
  const app = await run('app', ['app', appLog, join(work!, 'read-models'), PLAN], profile('b2-app'));
  const bare = await run('bare', ['bare', bareLog], []);
  print({ figure: 'B2', app, bare, ratio: Number((app.perSecond / bare.perSecond).toFixed(2)) });
}

/** B11's client side, as bench.ts measures it: the prefix copied into the stand-in, then rebuild-child read-esdb. */
async function b11(): Promise<void> {
  const server = fork(new URL('./esdb-child.js', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => server.on('exit', () => done()));
  const ask = <T>(message?: string) =>
    new Promise<T>((done) => {
      server.once('message', (m) => done(m as T));
      if (message !== undefined) server.send(message);
    });
  try {
    const { connectionString } = await ask<{ connectionString: string }>();
    const [source, target] = [new SqliteEventStore(prefixPath), new EventStoreDbEventStore(connectionString)];
    await copyLog(source, target);
    await Promise.all([source.close(), target.close()]);
    const before = (await ask<{ cpuMs: number }>('cpu')).cpuMs;
    const reader = fork(new URL('./rebuild-child.js', import.meta.url), ['read-esdb', connectionString], {
      execArgv: profile('b11-read'),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let output = '';
    reader.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((done) => reader.on('exit', done));
    const read = JSON.parse(output.trim().split('\n').pop()!) as { ms: number; cpuMs: number; events: number };
    const standInCpuS = ((await ask<{ cpuMs: number }>('cpu')).cpuMs - before) / 1000;
    print({
      figure: 'B11',
      events: read.events,
      eventsPerClientCpuSecond: Math.round(read.events / (read.cpuMs / 1000)),
      clientCpuSeconds: read.cpuMs / 1000,
      wallSeconds: read.ms / 1000,
      standInCpuSeconds: standInCpuS,
    });
  } finally {
    server.kill('SIGINT');
    await exited;
  }
}

if (mode === 'prepare') await prepare(arg === undefined ? 100_000 : Number(arg));
else if (mode === 'b1') await b1();
else if (mode === 'b2') await b2(arg === undefined ? 10 : Number(arg));
else if (mode === 'b11') await b11();
else throw new Error(`unknown mode ${mode}`);
