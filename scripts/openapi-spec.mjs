// Writes the service's OpenAPI document (what /docs-json serves) to a file, from the built app (dist/),
// for the console's generated API types. A throwaway app: in-memory log, read models in a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../dist/app.factory.js';
import { loadAppConfig } from '../dist/config/app-config.js';

const out = process.argv[2] ?? 'console/src/api/openapi.json';
const dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
try {
  const config = loadAppConfig(
    { EVENT_STORE_PATH: ':memory:', READ_MODEL_DIR: join(dir, 'read-models'), LOG_LEVEL: 'silent', PORT: '0' },
    {},
  );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const document = await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json();
  await app.close();
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
