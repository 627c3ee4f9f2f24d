import { Global, Module, RequestMethod, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from './access/access.module.js';
import { AppConfig } from './config/app-config.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { HealthModule } from './health/health.module.js';
import { IncomeModule } from './income/income.module.js';
import { DataOwnership } from './ownership/data-ownership.js';

/** Request logs: JSON lines, with every header that can carry a credential replaced by "[Redacted]". */
export function requestLogOptions(config: AppConfig) {
  return {
    level: config.LOG_LEVEL,
    redact: [
      'req.headers.authorization',
      'req.headers["x-api-key"]',
      'req.headers.cookie',
      'req.headers["proxy-authorization"]',
    ],
    customProps: () => ({ service: 'residual-ledger' }),
  };
}

/**
 * nestjs-pino's default route, `{/*splat}`, matches no request under Nest 12's Fastify adapter, so no request was
 * ever logged; `{*splat}` matches every path, the root included.
 */
const EVERY_ROUTE = [{ path: '{*splat}', method: RequestMethod.ALL }];

@Global()
@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(private readonly ownership: DataOwnership) {}

  /** The whole service, configured by an already validated AppConfig, on data it owns. */
  static register(config: AppConfig, ownership: DataOwnership): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: config })] }),
        LoggerModule.forRoot({ pinoHttp: requestLogOptions(config), forRoutes: EVERY_ROUTE }),
        AccessModule.register(config),
        EventStoreModule,
        IncomeModule,
        HealthModule,
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: DataOwnership, useValue: ownership },
      ],
      exports: [AppConfig, DataOwnership],
    };
  }

  /** The root module's hook runs after every other module's: the event store is closed by now. */
  onApplicationShutdown(): void {
    this.ownership.release();
  }
}
