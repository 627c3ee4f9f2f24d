import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** EventStoreDB when a connection string is configured, the embedded SQLite store otherwise. */
export function openEventStore(config: AppConfig): EventStore {
  return config.EVENTSTORE_CONNECTION_STRING
    ? new EventStoreDbEventStore(config.EVENTSTORE_CONNECTION_STRING)
    : new SqliteEventStore(config.EVENT_STORE_PATH);
}

/** Where the log is, for logs and messages: never the credentials of a connection string. */
export function describeEventStore(config: AppConfig): string {
  if (!config.EVENTSTORE_CONNECTION_STRING) return `SQLite ${config.EVENT_STORE_PATH}`;
  return `EventStoreDB ${config.EVENTSTORE_CONNECTION_STRING.replace(/\/\/[^@/]*@/, '//***@')}`;
}

/** Chooses the event store from configuration. Nothing outside this folder knows which it is. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [AppConfig],
      useFactory: openEventStore,
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
