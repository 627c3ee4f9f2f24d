// The real Nest app over real HTTP on 127.0.0.1, with real SQLite files in a temp folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { loadAppConfig, type AppConfig, type ConfigOverrides } from '../../src/config/app-config.js';

export interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  readonly contentType: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly dir: string;
  readonly url: string;
  post(path: string, body: unknown): Promise<Answer>;
  get(path: string): Promise<Answer>;
  send(method: string, path: string, init: { body?: string; headers?: Record<string, string> }): Promise<Answer>;
  /** Stops the app; the folder stays, so a new app can start on the same files. */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'ledger-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startTestApp(options: { dir?: string; overrides?: ConfigOverrides } = {}): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const config = loadAppConfig(
    {
      EVENT_STORE_PATH: join(dir, 'events.sqlite'),
      READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...options.overrides,
    },
    {},
  );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on TCP');
  const url = `http://127.0.0.1:${address.port}`;

  const send = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> }): Promise<Answer> => {
    const response = await fetch(url + path, { method, body: init.body, headers: init.headers });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    return { status: response.status, body: contentType.includes('json') && text.length > 0 ? JSON.parse(text) : text, contentType };
  };
  return {
    app,
    config,
    dir,
    url,
    send,
    post: (path, body) => send('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    get: (path) => send('GET', path, {}),
    stop: () => app.close(),
  };
}

export interface SampleRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** The sample network that `npm run seed` posts and the docs work through by hand. */
export function sampleNetwork(): SampleRequest[] {
  return JSON.parse(readFileSync('scripts/sample-network.json', 'utf8')) as SampleRequest[];
}

/** Posts requests in order and returns the last answer; fails on anything but 201. */
export async function postAll(app: TestApp, requests: readonly SampleRequest[]): Promise<Answer> {
  let last: Answer | undefined;
  for (const request of requests) {
    last = await app.post(request.path, request.body);
    if (last.status !== 201) throw new Error(`${request.path} ${JSON.stringify(request.body)} answered ${last.status} ${JSON.stringify(last.body)}`);
  }
  if (last === undefined) throw new Error('nothing to post');
  return last;
}
