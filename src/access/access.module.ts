import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { apiKeysOf, type AppConfig } from '../config/app-config.js';
import { AccessAudit } from './access-audit.js';
import { AccessGuard } from './access.guard.js';
import { KeyRing } from './key-ring.js';
import { WhoAmIController } from './who-am-i.controller.js';
import { ApiKeysController } from './issued-keys/api-keys.controller.js';
import { IssuedKeysService } from './issued-keys/issued-keys.service.js';
import { Clock, SystemClock } from '../shared/clock.js';

/** API keys and scopes for every route (the rate limit is a Fastify plugin: see app.factory.ts). */
@Module({})
export class AccessModule {
  static register(config: AppConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: KeyRing, useValue: new KeyRing(apiKeysOf(config)) },
      AccessAudit,
      { provide: APP_GUARD, useClass: AccessGuard },
      { provide: Clock, useClass: SystemClock },
      IssuedKeysService,
    ];
    return {
      module: AccessModule,
      imports: [DiscoveryModule],
      controllers: [WhoAmIController, ApiKeysController],
      providers,
      exports: [KeyRing, AccessAudit],
    };
  }
}
