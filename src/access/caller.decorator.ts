import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiKey } from './key-ring.js';

// Who the access guard admitted, per request, so that an audited command can say which key called it.
const callers = new WeakMap<object, ApiKey>();

export function rememberCaller(request: object, key: ApiKey): void {
  callers.set(request, key);
}

/** The key that made this request, or null when access control is off (nobody presented one). */
export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ApiKey | null => callers.get(ctx.switchToHttp().getRequest<object>()) ?? null,
);
