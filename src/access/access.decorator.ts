import { SetMetadata } from '@nestjs/common';
import type { Requirement } from './api-keys.js';

export const ACCESS_METADATA = 'residual-ledger:access';

/**
 * What a caller's key must allow to use a controller's routes (on the class) or one route (on the
 * handler, which wins). Every route declares it: the service refuses to start otherwise.
 * `read` routes with a `personId` parameter also admit keys limited to that person.
 */
export const Access = (requirement: Requirement) => SetMetadata(ACCESS_METADATA, requirement);
