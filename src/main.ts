import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { runCli } from './cli/run-cli.js';
import { apiKeysOf, loadAppConfig, type AppConfig } from './config/app-config.js';
import { describeEventStore } from './event-store/event-store.module.js';
import { OperatorError } from './shared/operator-error.js';

await runCli('residual-ledger will not start', async () => {
  const config = loadAppConfig();
  const app = await createApp(config);
  await listen(app, config);
  console.log(
    `residual-ledger listening on ${await app.getUrl()} (event store: ${describeEventStore(config)}, plan ${config.PLAN_FILE}); OpenAPI at /docs`,
  );
  if (apiKeysOf(config).length === 0) {
    console.warn(
      `\n  !!! ACCESS CONTROL IS OFF: no API keys are configured; anyone on this machine can read and write the ledger.\n  !!! Development only. Set API_KEYS (see docs/security.md) before binding to anything but a loopback address.\n`,
    );
  }
  return 0;
});

async function listen(app: Awaited<ReturnType<typeof createApp>>, config: AppConfig): Promise<void> {
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw error;
    throw new OperatorError(
      `cannot listen on ${config.HOST}:${config.PORT} (${code}): ${code === 'EADDRINUSE' ? 'another process uses that port; stop it or set PORT' : 'set HOST to an address of this machine, PORT to a port this user may bind'}`,
    );
  }
}
