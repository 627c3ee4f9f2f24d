import { Injectable, RequestMethod, type OnModuleInit, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from './access.decorator.js';
import type { Requirement } from './api-keys.js';

export interface DeclaredRoute {
  /** `GET /people/:personId/income` */
  readonly route: string;
  readonly access: Requirement | undefined;
}

/** A route with the handler that serves it, for whatever else reads its decorators (the OpenAPI document). */
export interface RouteHandler extends DeclaredRoute {
  readonly controller: Type;
  /** The name of the handler method on the controller. */
  readonly handlerName: string;
}

/** Every route of these controllers with the access it declares (undefined: none). */
export function routesOf(controllers: readonly Type[]): DeclaredRoute[] {
  return handlersOf(controllers).map(({ route, access }) => ({ route, access }));
}

/** Every route of these controllers with its handler and the access it declares. */
export function handlersOf(
  controllers: readonly Type[],
  reflector = new Reflector(),
  scanner = new MetadataScanner(),
): RouteHandler[] {
  const routes: RouteHandler[] = [];
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
      routes.push({ route: `${RequestMethod[method]} /${path}`, access, controller, handlerName: name });
    }
  }
  return routes;
}

/** Refuses to start a service with a route that does not say who may call it. */
@Injectable()
export class AccessAudit implements OnModuleInit {
  routes: readonly DeclaredRoute[] = [];
  handlers: readonly RouteHandler[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const controllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((metatype): metatype is Type => typeof metatype === 'function');
    this.handlers = handlersOf(controllers);
    this.routes = this.handlers.map(({ route, access }) => ({ route, access }));
    const undeclared = this.routes.filter((r) => r.access === undefined).map((r) => r.route);
    if (undeclared.length > 0)
      throw new Error(`programmer error: routes without @Access(...): ${undeclared.join(', ')}`);
  }
}
