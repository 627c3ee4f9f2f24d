// The console (console/, built by Vite into dist/console) served by the service at /console, same origin,
// under the service's CSP: only files of that folder, the page shell for /console itself.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** dist/console of this package, whether the service runs from dist/ or (in tests) from src/. */
export const CONSOLE_DIR = fileURLToPath(new URL('../dist/console/', import.meta.url));

export async function serveConsole(app: NestFastifyApplication): Promise<void> {
  if (!existsSync(`${CONSOLE_DIR}index.html`)) {
    new Logger('Console').warn(`no console at ${CONSOLE_DIR}: run npm run build to build it`);
    return;
  }
  await app.register(fastifyStatic, { root: CONSOLE_DIR, prefix: '/console/', index: ['index.html'], wildcard: true });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/console', (_request, reply) => reply.redirect('/console/', 301));
}

/**
 * The JavaScript a first load of the console fetches (the module scripts and modulepreloads of its
 * index.html), and its size gzipped at level 9 as a server would send it. Budget: 300 KB.
 */
export function consoleFirstLoad(dir = CONSOLE_DIR): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/console\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0);
  return { files, gzipBytes };
}

export const CONSOLE_FIRST_LOAD_BUDGET_BYTES = 300_000;
