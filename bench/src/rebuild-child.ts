// B3/B4 in a process of its own, so that its peak RSS is the rebuild's alone:
//   node dist-bench/bench/src/rebuild-child.js fold LOG DIR PLAN  → the product's rebuild (ProjectionManager)
//   node dist-bench/bench/src/rebuild-child.js scan LOG           → the baseline: a raw scan + JSON.parse of the log
//   node dist-bench/bench/src/rebuild-child.js fold-esdb CONN DIR PLAN  → the same rebuild, the log on EventStoreDB (B11)
//   node dist-bench/bench/src/rebuild-child.js read-esdb CONN           → B11's client side: $all read, decoded and parsed
//   node dist-bench/bench/src/rebuild-child.js fold-memory LOG PLAN     → the pure fold alone: the log read and decoded
//     first, then folded in memory (InMemoryLedger, no lines kept, no SQLite), timed from the first fold to the last
// Prints one JSON line: { ms, cpuMs, events, maxRssMb, writtenBytes, wcharBytes, generationBytes, logBytes }
// (logBytes 0 for EventStoreDB, whose log is not a file here).
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { LoggerService } from '@nestjs/common';
import type { EventStore, Position } from '../../src/event-store/event-store.port.js';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { AppConfig } from '../../src/config/app-config.js';
import type { LogLocation } from '../../src/income/generations/generation-build.js';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import { ProjectionManager } from '../../src/income/generations/projection-manager.js';
import { SystemClock } from '../../src/shared/clock.js';
import { decodeLedgerEvent, isLedgerStream, type RecordedLedgerEvent } from '../../src/income/events.js';
import { InMemoryLedger } from '../../src/income/read-model/income.fold.js';

const [mode, log, dir, planFile] = process.argv.slice(2);
if (!log) throw new Error('usage: rebuild-child.js fold|scan|fold-esdb|read-esdb|fold-memory LOG [DIR PLAN]');
const onEventStoreDb = mode === 'fold-esdb' || mode === 'read-esdb';

let rssMaxBytes = 0;
const sampler = setInterval(() => (rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage.rss())), 20);

const silent: LoggerService = { log: () => {}, error: () => {}, warn: () => {} };

let foldMs = 0;
let foldCpuMs = 0;
let generationBytes = 0;

/** Bytes this process has caused to be written to storage (Linux), less those of files deleted before writeback. */
function writtenBytes(): number {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: ([0-9]+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
    return field('write_bytes') - field('cancelled_write_bytes');
  } catch {
    return Number.NaN;
  }
}

/** Bytes this process handed to write() (Linux): every WAL frame and page, whether or not writeback came before a truncate. */
function wcharBytes(): number {
  try {
    return Number(/^wchar: ([0-9]+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}
const writtenAtStart = writtenBytes();
const wcharAtStart = wcharBytes();

/** Times the rebuild alone (from its request to its switch), not opening and closing the files. */
async function fold(): Promise<number> {
  const plan = loadPlanFile(planFile!);
  const store: EventStore = onEventStoreDb ? new EventStoreDbEventStore(log!) : new SqliteEventStore(log!);
  const location: LogLocation = onEventStoreDb ? { eventStoreDbConnection: log! } : { sqlitePath: log! };
  const manager = new ProjectionManager(
    store,
    plan,
    {
      dir: dir!,
      planChangeRebuild: 'manual',
      generationsKept: 1,
      worker: { log: location, heapMb: new AppConfig().BUILD_HEAP_MB },
    },
    silent,
    new SystemClock(),
  );
  try {
    await manager.start({ follow: false });
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const { id } = await manager.startRebuild({ plan, dryRun: false });
    await manager.whenRebuilt();
    foldMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    foldCpuMs = (cpu.user + cpu.system) / 1000;
    const outcome = manager.rebuildProgress(id)!;
    if (outcome.state !== 'succeeded') throw new Error(`rebuild ${outcome.state}: ${outcome.error}`);
    const path = `${dir!}/generation-${outcome.generation}.sqlite`;
    generationBytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    // $all cannot be counted without reading it: then the events the rebuild folded
    return (await store.countEvents()) ?? outcome.eventsDone ?? 0;
  } finally {
    await manager.stop();
    await store.close();
  }
}

function scan(): number {
  const db = new Database(log, { readonly: true });
  let events = 0;
  let bytes = 0;
  for (const row of db
    .prepare<[], { data: string; metadata: string }>('SELECT * FROM events ORDER BY position')
    .iterate()) {
    const data = JSON.parse(row.data) as object;
    const metadata = JSON.parse(row.metadata) as object;
    if (data !== null && metadata !== null) events += 1;
    bytes += row.data.length;
  }
  db.close();
  return bytes > 0 ? events : 0;
}

/** Reads $all through the adapter (the real client: gRPC, protobuf, JSON.parse), page by page, as copy-log and refolds do. */
async function readEventStoreDb(): Promise<number> {
  const store = new EventStoreDbEventStore(log!);
  let events = 0;
  try {
    for (let after: Position | undefined; ;) {
      const page = await store.readAll({ after, maxCount: READ_PAGE });
      if (page.length === 0) return events;
      for (const event of page) if (event.data !== null && event.metadata !== null) events += 1;
      after = page[page.length - 1]!.position;
    }
  } finally {
    await store.close();
  }
}
const READ_PAGE = 10_000;

/** The fold alone, with what it reads from memory: where the fold's own CPU goes, without the store's or SQLite's. */
async function foldInMemory(planPath: string): Promise<number> {
  const store = new SqliteEventStore(log!);
  const decoded: RecordedLedgerEvent[] = [];
  for (let after: Position | undefined; ;) {
    const page = await store.readAll({ after, maxCount: READ_PAGE });
    if (page.length === 0) break;
    for (const event of page) if (isLedgerStream(event.stream)) decoded.push(decodeLedgerEvent(event));
    after = page[page.length - 1]!.position;
  }
  await store.close();
  const ledger = new InMemoryLedger(loadPlanFile(planPath).plan, false);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  for (const event of decoded) ledger.apply(event);
  foldMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  foldCpuMs = (cpu.user + cpu.system) / 1000;
  return decoded.length;
}

const folding = mode === 'fold' || mode === 'fold-esdb' || mode === 'fold-memory';
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const events =
  mode === 'fold-memory'
    ? await foldInMemory(dir!) // its second argument is the plan
    : folding
      ? await fold()
      : mode === 'read-esdb'
        ? await readEventStoreDb()
        : scan();
const ms = folding ? foldMs : performance.now() - started;
const scanCpu = process.cpuUsage(cpuAtStart);
const cpuMs = folding ? foldCpuMs : (scanCpu.user + scanCpu.system) / 1000;
clearInterval(sampler);
const maxRssMb = Math.max(rssMaxBytes, process.resourceUsage().maxRSS * 1024) / 1_048_576;
const written = writtenBytes() - writtenAtStart;
const handedToWrite = wcharBytes() - wcharAtStart;
const logBytes = onEventStoreDb ? 0 : statSync(log).size;
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs, events, maxRssMb, writtenBytes: written, wcharBytes: handedToWrite, generationBytes, logBytes })}\n`,
);
