// `npm run rebuild`: replays the whole event log into fresh read models under the plan in force.
// Safe while the service runs: the swap is one transaction, and the service follows on from it.
import 'reflect-metadata';
import { loadAppConfig } from '../config/app-config.js';
import { describeEventStore, openEventStore } from '../event-store/event-store.module.js';
import { loadPlanFile } from '../income/plan/plan-file.js';
import { ReadModel } from '../income/projection/read-model.js';
import { rebuildReadModel } from '../income/projection/rebuild.js';

const config = loadAppConfig();
const loaded = loadPlanFile(config.PLAN_FILE);
const store = openEventStore(config);
const readModel = new ReadModel(config.READ_MODEL_PATH);
const before = readModel.contentDigest();
const started = performance.now();
try {
  const head = await store.headPosition();
  console.error(`rebuilding ${config.READ_MODEL_PATH} from ${describeEventStore(config)} (head ${head ?? 'empty'}) with plan ${loaded.plan.version}`);
  const result = await rebuildReadModel(store, readModel, loaded, ({ events, position }) =>
    process.stderr.write(`\r  ${events} events, position ${position}`),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = readModel.contentDigest();
  process.stderr.write('\n');
  console.log(
    JSON.stringify({
      events: result.events,
      checkpoint: result.position,
      planVersion: loaded.plan.version,
      seconds: Number(seconds.toFixed(3)),
      digestBefore: before,
      digestAfter: after,
      unchanged: before === after,
    }),
  );
} finally {
  readModel.close();
  await store.close();
}
