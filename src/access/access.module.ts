import { WhoAmIController } from './who-am-i.controller.js';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { apiKeysOf, type AppConfig } from '../config/app-config.js';
import { Clock, SystemClock } from '../shared/clock.js';
import { AccessAudit } from './access-audit.js';
import { AccessGuard } from './access.guard.js';
import { ApiKeysController } from './issued-keys/api-keys.controller.js';
import { IssuedKeys } from './issued-keys/issued-keys.js';
import { KeyRing } from './key-ring.js';

/**
 * API keys and scopes for every route, and keys issued over the API (the rate limit is a Fastify plugin:
 * see app.factory.ts).
 */
@Module({})
export class AccessModule {
  static register(config: AppConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: KeyRing, useValue: new KeyRing(apiKeysOf(config)) },
      { provide: Clock, useClass: SystemClock },
      IssuedKeys,
      AccessAudit,
      { provide: APP_GUARD, useClass: AccessGuard },
    ];
    return {
      module: AccessModule,
      imports: [DiscoveryModule],
      controllers: [ApiKeysController, WhoAmIController],
      providers,
      exports: [KeyRing, AccessAudit],
    };
  }
}
