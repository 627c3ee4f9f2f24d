import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { apiKeysOf, type AppConfig } from '../config/app-config.js';
import { Clock, SystemClock } from '../shared/clock.js';
import { AccessAudit } from './access-audit.js';
import { AccessGuard } from './access.guard.js';
import { KeyRing } from './key-ring.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { FixedWindowLimiter } from './rate-limit.js';

/** API keys, scopes and rate limits for every route. Global guards run in the order given: access, then rate. */
@Module({})
export class AccessModule {
  static register(config: AppConfig): DynamicModule {
    const limited = config.RATE_LIMIT_PER_MINUTE > 0;
    const providers: Provider[] = [
      { provide: KeyRing, useValue: new KeyRing(apiKeysOf(config)) },
      AccessAudit,
      { provide: APP_GUARD, useClass: AccessGuard },
    ];
    if (limited) {
      providers.push(
        { provide: Clock, useClass: SystemClock },
        { provide: FixedWindowLimiter, useValue: new FixedWindowLimiter(config.RATE_LIMIT_PER_MINUTE, 60_000) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      );
    }
    return { module: AccessModule, imports: [DiscoveryModule], providers, exports: [KeyRing, AccessAudit] };
  }
}
