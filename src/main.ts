import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { apiKeysOf, ConfigError, loadAppConfig, type AppConfig } from './config/app-config.js';
import { describeEventStore } from './event-store/event-store.module.js';
import { PlanFileError, loadPlanFile } from './income/plan/plan-file.js';

let config: AppConfig;
try {
  config = loadAppConfig();
  loadPlanFile(config.PLAN_FILE); // checked here too, so that every problem of the plan is said plainly
} catch (error) {
  // A configuration problem is the operator's to fix: say what it is, without a stack trace.
  if (!(error instanceof ConfigError) && !(error instanceof PlanFileError)) throw error;
  console.error(`residual-ledger will not start: ${error.message}`);
  process.exit(1);
}
const app = await createApp(config);
await app.listen(config.PORT, config.HOST);
console.log(
  `residual-ledger listening on ${await app.getUrl()} (event store: ${describeEventStore(config)}, plan ${config.PLAN_FILE}); OpenAPI at /docs`,
);
if (apiKeysOf(config).length === 0) {
  console.warn(
    `\n  !!! ACCESS CONTROL IS OFF: no API keys are configured; anyone on this machine can read and write the ledger.\n  !!! Development only. Set API_KEYS (see docs/security.md) before binding to anything but a loopback address.\n`,
  );
}
