import { Controller, Get, Post } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { routesOf } from './access-audit.js';
import { Access } from './access.decorator.js';

@Access('read')
@Controller('things/:thingId')
class ThingsController {
  @Get('a') a() {}
  @Access('admin') @Post('b') b() {}
  helper() {}
}

@Controller('loose')
class LooseController {
  @Get() c() {}
}

describe('the access audit', () => {
  it('lists each route with the access its handler or class declares, handler first', () => {
    expect(routesOf([ThingsController, LooseController])).toEqual([
      { route: 'GET /things/:thingId/a', access: 'read' },
      { route: 'POST /things/:thingId/b', access: 'admin' },
      { route: 'GET /loose', access: undefined },
    ]);
  });
});
