import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EventStore } from './event-store.port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** Chooses the event store from configuration. Nothing outside this folder knows which it is. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): EventStore => new SqliteEventStore(config.EVENT_STORE_PATH),
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
