// `npm run openapi -- [FILE]`: writes the service's OpenAPI document (default docs/openapi.json), so that
// integrators can generate a client without running the service. A test keeps the committed file in sync.
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.factory.js';
import { loadAppConfig } from '../config/app-config.js';
import { openApiDocument, openApiJson } from '../http/openapi.js';

const USAGE = 'usage: npm run openapi -- [FILE] writes the OpenAPI document to FILE (default docs/openapi.json)';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
} else if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
  console.error(`unexpected arguments: ${args.join(' ')}\n${USAGE}`);
  process.exitCode = 2;
} else {
  await writeDocument(args[0] ?? 'docs/openapi.json');
}

/** The document does not depend on configuration or data: an empty in-memory store and scratch read models. */
async function writeDocument(file: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  try {
    const config = loadAppConfig(
      { EVENT_STORE_PATH: ':memory:', READ_MODEL_DIR: join(scratch, 'read-models'), LOG_LEVEL: 'silent' },
      {},
    );
    const app = await createApp(config);
    await app.init();
    try {
      writeFileSync(file, openApiJson(openApiDocument(app)));
    } finally {
      await app.close();
    }
    console.error(`wrote ${file}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
