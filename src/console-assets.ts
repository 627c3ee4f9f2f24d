// The console (console/, built by Vite into dist/console) served by the service at /console, same origin,
// under the service's CSP: only files of that folder, the page shell for /console itself.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
