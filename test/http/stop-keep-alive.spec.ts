// A stop (SIGTERM, app.close) answers what is under way and then closes kept-alive connections: a client
// that keeps one open, idle or half-way through its headers, cannot hold the service's stop.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

let ledger: TestApp | undefined;
afterEach(async () => {
  if (ledger !== undefined) await removeDir(ledger.dir);
  ledger = undefined;
});

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends one keep-alive request on the socket and resolves with the head of the answer. */
function ask(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ledger\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('a stop with kept-alive connections', () => {
  it('given a connection kept alive after its answer and one half-way through its headers, when the service stops, then it stops at once and closes both', async () => {
    ledger = await startTestApp();
    const kept = await open(ledger.url);
    expect(await ask(kept, '/health')).toMatch(/^HTTP\/1\.1 200/);
    const halfWay = await open(ledger.url);
    halfWay.write('GET /health HTTP/1.1\r\nHost: ledger\r\n');
    const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const bothClosed = Promise.all([closed(kept), closed(halfWay)]);

    const started = performance.now();
    await ledger.stop();
    await bothClosed;
    // Fastify keeps a connection alive for 72 s, and its request timeout is longer still
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
