// B2's load and the server it runs against, shared by `npm run bench` (bench.ts) and the write side's own
// runs (write-side.ts), so that both measure the same requests on the same kind of process.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface Server {
  readonly url: string;
  /** Sends serve-child.js a message and waits for its answer. */
  request(message: string): Promise<unknown>;
  /** The child's CPU time so far, from /proc (user + system ticks). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** serve-child.js in a process of its own, so its CPU time is its own; fails if it exits before it listens. */
export async function startServer(args: string[], execArgv: string[]): Promise<Server> {
  const child = fork(new URL('./serve-child.js', import.meta.url), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (m) => done((m as { port: number }).port));
    child.once('exit', (code) => fail(new Error(`server ${args[0]} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    request: (message) =>
      new Promise((done) => {
        child.once('message', done);
        child.send(message);
      }),
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
    },
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** POST /sales at 32 connections, each request a new sale of one of the workload's reps. */
export async function postSales(url: string, reps: readonly string[], prefix: string, seconds: number) {
  let n = 0;
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/sales',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const i = n++;
          const body = {
            saleId: `${prefix}-${i}`,
            repId: reps[(i * 7919) % reps.length],
            customerId: `C-${i}`,
            amount: '25.00',
            currency: 'USD',
            kind: 'single',
            occurredAt: '2026-01-15T10:00:00Z',
          };
          return { ...request, body: JSON.stringify(body) };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    perSecond: ok / result.duration,
    ok,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
