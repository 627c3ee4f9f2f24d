import { Injectable, RequestMethod, type OnModuleInit, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from './access.decorator.js';
import type { Requirement } from './api-keys.js';

export interface DeclaredRoute {
  readonly route: string;
  readonly access: Requirement | undefined;
}

/** Every route of these controllers with the access it declares (undefined: none). */
export function routesOf(
  controllers: readonly Type[],
  reflector = new Reflector(),
  scanner = new MetadataScanner(),
): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const controller of controllers) {
    const base = String((Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '');
    for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as Function; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = [base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')]
        .filter((p) => p !== '' && p !== '/')
        .join('/');
      const access = reflector.getAllAndOverride<Requirement | undefined>(ACCESS_METADATA, [handler, controller]);
      routes.push({ route: `${RequestMethod[method]} /${path}`, access });
    }
  }
  return routes;
}

/** Refuses to start a service with a route that does not say who may call it. */
@Injectable()
export class AccessAudit implements OnModuleInit {
  routes: readonly DeclaredRoute[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const controllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((metatype): metatype is Type => typeof metatype === 'function');
    this.routes = routesOf(controllers);
    const undeclared = this.routes.filter((r) => r.access === undefined).map((r) => r.route);
    if (undeclared.length > 0)
      throw new Error(`programmer error: routes without @Access(...): ${undeclared.join(', ')}`);
  }
}
