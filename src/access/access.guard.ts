import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_METADATA } from './access.decorator.js';
import { AccessDeniedError } from './access-denied.error.js';
import { permits, type Requirement } from './api-keys.js';
import { rememberCaller } from './caller.decorator.js';
import { credentialOf, KeyRing } from './key-ring.js';

/** Every route, every request: who is calling (401 if nobody we know) and may they (403 if not). */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keyRing: KeyRing,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (requirement === 'public' || !this.keyRing.enabled) return true;
    // Fail closed: the start-up audit refuses such routes, and should one slip through, nobody gets in.
    if (requirement === undefined) throw new AccessDeniedError('FORBIDDEN', 'this route declares no access scope');

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = credentialOf(request.headers);
    if (credential.kind === 'none')
      throw new AccessDeniedError('UNAUTHENTICATED', 'send an API key: Authorization: Bearer <key>');
    const key = credential.kind === 'secret' ? this.keyRing.identify(credential.secret) : null;
    if (key === null) throw new AccessDeniedError('UNAUTHENTICATED', 'the API key is not valid');

    const personId = (request.params as Record<string, string | undefined> | undefined)?.personId;
    if (!permits(key.scopes, requirement, personId)) {
      throw new AccessDeniedError(
        'FORBIDDEN',
        `the key "${key.name}" does not allow this (${requirement}${personId === undefined ? '' : ` of ${personId}`})`,
      );
    }
    rememberCaller(request, key);
    return true;
  }
}
