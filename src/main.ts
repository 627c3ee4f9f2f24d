import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { loadAppConfig } from './config/app-config.js';
import { describeEventStore } from './event-store/event-store.module.js';

const config = loadAppConfig();
const app = await createApp(config);
await app.listen(config.PORT, config.HOST);
console.log(`residual-ledger listening on ${await app.getUrl()} (event store: ${describeEventStore(config)}, plan ${config.PLAN_FILE}); OpenAPI at /docs`);
