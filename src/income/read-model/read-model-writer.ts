// The writer thread of a generation being built: the build worker folds, and hands the rows to
// this thread as they come, which writes them and commits each batch with its checkpoint while the
// next one is folded. Two cores, two halves of the work (the fold, and SQLite's). The build worker
// waits for it, with Atomics on a shared count of messages handled: before the fold reads the file
// (the view's caches lack a name), when the writer is IN_FLIGHT_MAX messages behind, and at the end.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Position } from '../../event-store/event-store.port.js';
import { hasRows, type FoldedRows, type RowWriter } from './read-model.js';

/** Messages handed over and not yet handled, at most: how far the fold runs ahead of the writer. */
const IN_FLIGHT_MAX = 16;
/** A wait wakes this often to look at the writer's state, whatever it was told. */
const WAIT_SLICE_MS = 1000;

/** Slots of the shared state: messages the writer has handled, and its state. */
export const HANDLED = 0;
export const STATE = 1;
export const RUNNING = 0;
export const FAILED = 1;
export const CLOSED = 2;

/**
 * `rows` with a checkpoint commit the batch's transaction (begun by the batch's first rows);
 * `rollback` drops what was written since the last commit.
 */
export type WriterMessage =
  | { readonly type: 'rows'; readonly rows: FoldedRows }
  | { readonly type: 'rollback' }
  | { readonly type: 'finish'; readonly indexes: boolean }
  | { readonly type: 'close' };

export interface WriterData {
  /** The writer's module (read-model-writer.worker.js), started by BOOT. */
  readonly module: string;
  readonly path: string;
  readonly state: SharedArrayBuffer;
  readonly port: MessagePort;
}

const WORKER = new URL('./read-model-writer.worker.js', import.meta.url);

/**
 * The thread's first code: it imports the writer's module and, if that module cannot be loaded or
 * throws as it starts, says so in the shared state as a writer that fails does. The fold waits on that
 * state, with its own thread's events out of reach, so it would otherwise wait for a writer that never was.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.module).catch((error) => {
  const state = new Int32Array(workerData.state);
  workerData.port.postMessage({ error: 'it could not start: ' + (error instanceof Error ? error.message : String(error)) });
  Atomics.store(state, ${STATE}, ${FAILED});
  Atomics.notify(state, ${HANDLED});
  Atomics.notify(state, ${STATE});
});`;

export class WriterThread implements RowWriter {
  private readonly state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private failure: string | null = null;
  private posted = 0;
  /** The checkpoint each message posted and not yet seen handled commits (null: none), oldest first. */
  private readonly unseen: (Position | null)[] = [];
  private seen = 0;
  private committed: Position | null;
  private lastPosted: Position | null;
  private ended = false;

  /** `checkpoint`: the file's, where the build goes on from; `module`: the writer's (another only in a test). */
  constructor(path: string, checkpoint: Position | null, module: URL = WORKER) {
    this.committed = checkpoint;
    this.lastPosted = checkpoint;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: WriterData = { module: module.href, path, state: this.state.buffer, port: port2 };
    new Worker(BOOT, { eval: true, workerData, transferList: [port2] }).unref();
  }

  post(rows: FoldedRows): void {
    if (!hasRows(rows) && (rows.checkpoint === null || rows.checkpoint === this.lastPosted)) return;
    this.send({ type: 'rows', rows }, rows.checkpoint);
    if (rows.checkpoint !== null) this.lastPosted = rows.checkpoint;
  }

  settle(): void {
    this.waitUntilHandled(this.posted);
  }

  rollback(): void {
    this.send({ type: 'rollback' }, null);
    this.settle();
  }

  committedCheckpoint(): Position | null {
    const handled = Atomics.load(this.state, HANDLED);
    for (; this.seen < handled; this.seen += 1) {
      const checkpoint = this.unseen.shift();
      if (checkpoint != null) this.committed = checkpoint;
    }
    return this.committed;
  }

  finish(options: { indexes: boolean }): void {
    this.end({ type: 'finish', indexes: options.indexes });
  }

  close(): void {
    if (!this.ended) this.end({ type: 'close' });
  }

  /** The last message: the writer rolls back what has no checkpoint, finishes or not, and closes the file. */
  private end(message: WriterMessage): void {
    this.ended = true;
    this.send(message, null);
    while (Atomics.load(this.state, STATE) === RUNNING) Atomics.wait(this.state, STATE, RUNNING, WAIT_SLICE_MS);
    this.throwIfFailed();
    this.port.close();
  }

  private send(message: WriterMessage, commits: Position | null): void {
    this.waitUntilHandled(this.posted - IN_FLIGHT_MAX + 1);
    this.port.postMessage(message);
    this.posted += 1;
    this.unseen.push(commits);
  }

  private waitUntilHandled(count: number): void {
    for (;;) {
      const handled = Atomics.load(this.state, HANDLED);
      this.throwIfFailed();
      if (handled >= count) return;
      Atomics.wait(this.state, HANDLED, handled, WAIT_SLICE_MS);
    }
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.state, STATE) !== FAILED) return;
    const said = receiveMessageOnPort(this.port)?.message as { error?: string } | undefined;
    this.failure ??= said?.error ?? 'no reason given';
    throw new Error(`the build's writer thread failed: ${this.failure}`);
  }
}
