// The OpenAPI document says what the service does: every route it registers, the statuses and codes each
// can answer, the scope each needs, and the same codes as docs/api.md. (Every status the HTTP suites
// observe is checked against it as each test app stops: see test/support/observed-answers.ts.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { AccessAudit } from '../../src/access/access-audit.js';
import { ANSWERED_BEFORE_ANY_ROUTE, openApiJson } from '../../src/http/openapi.js';
import { PROBLEM_STATUS, type ProblemCode } from '../../src/http/problem.js';
import { openApiPath, undeclaredAnswers } from '../support/observed-answers.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
let document: OpenAPIObject;
beforeAll(async () => {
  ledger = await startTestApp();
  document = (await ledger.get('/docs-json')).body as OpenAPIObject;
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

type Operation = OperationObject & { readonly 'x-required-scope'?: string };

const operations = (): [string, Operation][] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((method) => item[method] !== undefined)
      .map((method): [string, Operation] => [`${method.toUpperCase()} ${path}`, item[method]!]),
  );

/** Each problem answer's codes, by operation and status. */
function problemCodes(operation: OperationObject): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const schema = (response as { content?: Record<string, { schema?: { allOf?: unknown[] } }> }).content?.[
      'application/problem+json'
    ]?.schema;
    const narrowed = schema?.allOf?.[1] as { properties: { code: { enum: string[] } } } | undefined;
    if (narrowed !== undefined) codes.set(status, narrowed.properties.code.enum);
  }
  return codes;
}

describe('the OpenAPI document', () => {
  it('has every route the app registers, and no other', () => {
    const registered = ledger.recorded.routes.map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return `${method} ${openApiPath(path)}`;
    });
    expect(registered.length).toBeGreaterThan(0);
    expect(
      operations()
        .map(([route]) => route)
        .sort(),
    ).toEqual([...new Set(registered)].sort());
  });

  it('declares, for each route, the scope its @Access requires, and the key as an opaque bearer secret', () => {
    const declared = ledger.app.get(AccessAudit).routes;
    const documented = new Map(operations().map(([route, op]) => [route, op['x-required-scope']]));
    for (const { route, access } of declared)
      expect([route, documented.get(openApiPath(route))]).toEqual([route, access]);
    for (const [route, operation] of operations()) {
      const security = operation['x-required-scope'] === 'public' ? [] : [{ bearer: [] }, { apiKey: [] }];
      expect([route, operation.security]).toEqual([route, security]);
    }
    const bearer = document.components!.securitySchemes!.bearer as { description?: string };
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(bearer).not.toHaveProperty('bearerFormat'); // Nest's default is JWT
    expect(bearer.description).toContain('opaque');
  });

  it('answers commands 201, or 200 on an identical retry, and a rebuild 202', () => {
    // A rebuild is accepted and runs on; an issued key's secret is shown once, so issuing is never retried
    // into a 200 (the same name again is 409 API_KEY_NAME_TAKEN).
    const SUCCESS_OF: Record<string, string[]> = {
      'POST /projections/rebuilds': ['202'],
      'POST /access/keys': ['201'],
    };
    for (const [route, operation] of operations().filter(([r]) => r.startsWith('POST '))) {
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect([route, success]).toEqual([route, SUCCESS_OF[route] ?? ['200', '201']]);
    }
  });

  it('serves a statement as JSON, CSV and HTML', () => {
    const ok = document.paths['/people/{personId}/statement']!.get!.responses['200'] as { content: object };
    expect(Object.keys(ok.content).sort()).toEqual(['application/json', 'text/csv', 'text/html']);
  });

  it('gives every route a problem answer per status it can give, each code at its own status', () => {
    for (const [route, operation] of operations()) {
      const codes = problemCodes(operation);
      expect([route, codes.get('500')]).toEqual([route, ['INTERNAL_ERROR']]);
      for (const [status, ofStatus] of codes)
        for (const code of ofStatus)
          expect([route, code, PROBLEM_STATUS[code as ProblemCode]]).toEqual([route, code, Number(status)]);
    }
    expect(problemCodes(document.paths['/reps']!.post!).get('422')).toContain('REP_SPONSORS_ITSELF');
    expect(problemCodes(document.paths['/people/{personId}/income']!.get!).get('404')).toEqual(['PERSON_UNKNOWN']);
  });

  it('lists the same codes at the same statuses as the table in docs/api.md', () => {
    const table = new Map<string, number>();
    const errors = readFileSync('docs/api.md', 'utf8').split('\n## Errors')[1]!;
    for (const row of errors.split('\n').filter((line) => /^\| \d{3} /.test(line))) {
      const [, status, codes] = row.split('|');
      for (const [, code] of codes!.matchAll(/`([A-Z_]+)`/g)) table.set(code!, Number(status));
    }
    const documented = new Map<string, number>(ANSWERED_BEFORE_ANY_ROUTE.map((code) => [code, PROBLEM_STATUS[code]]));
    for (const [, operation] of operations())
      for (const [status, codes] of problemCodes(operation))
        for (const code of codes) documented.set(code, Number(status));
    expect(Object.fromEntries([...table].sort())).toEqual(Object.fromEntries([...documented].sort()));
  });

  it('is what docs/openapi.json holds (npm run openapi writes it)', () => {
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(openApiJson(document));
  });
});

describe('checking observed answers against the document', () => {
  it('finds a status or a code the document does not declare for a route, and a route it lacks', () => {
    const answers = [
      { method: 'GET', route: '/health/live', status: 200 },
      { method: 'GET', route: '/people/:personId/income', status: 404 },
      { method: 'GET', route: '/health/live', status: 404 },
      { method: 'DELETE', route: '/sales', status: 204 },
      { method: 'POST', route: '/reps', status: 422, code: 'REP_SPONSORS_ITSELF' },
      { method: 'POST', route: '/reps', status: 422, code: 'SALE_UNKNOWN' },
    ];
    expect(undeclaredAnswers(document, answers)).toEqual([
      'DELETE /sales 204',
      'GET /health/live 404',
      'POST /reps 422 SALE_UNKNOWN',
    ]);
  });
});
