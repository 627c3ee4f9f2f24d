// Checks real answers against the schemas the OpenAPI document gives them: every field an answer has is
// declared, every required one is there, each of the declared type; and, over many answers, which declared
// fields were seen at all (a field declared and never answered is as wrong as one answered and not declared).
import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

type Schema = SchemaObject | ReferenceObject;

const nameOf = (ref: string): string => ref.replace('#/components/schemas/', '');

export class DeclaredFields {
  /** The properties seen in answers, by schema name. */
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly document: OpenAPIObject) {}

  /** The JSON schema of a route's 200 answer. */
  answerSchema(method: 'get' | 'post', path: string, status = '200'): Schema {
    const response = this.document.paths[path]?.[method]?.responses[status] as
      { content?: Record<string, { schema: Schema }> } | undefined;
    const schema = response?.content?.['application/json']?.schema;
    if (schema === undefined) throw new Error(`${method.toUpperCase()} ${path} declares no JSON answer ${status}`);
    return schema;
  }

  /** Where `value` disagrees with `schema`, as `$.statements[0].capped: not declared`; records what it saw. */
  mismatches(schema: Schema, value: unknown, at = '$'): string[] {
    return this.check(schema, value, at, true);
  }

  /** The properties of every schema reachable from `roots` that no checked answer had, as `Schema.property`. */
  unseen(roots: readonly Schema[]): string[] {
    const names = new Set<string>();
    for (const root of roots) this.reach(root, names);
    return [...names]
      .flatMap((name) =>
        Object.keys(this.resolve({ $ref: `#/components/schemas/${name}` }).properties ?? {})
          .filter((property) => !this.seen.get(name)?.has(property))
          .map((property) => `${name}.${property}`),
      )
      .sort();
  }

  private resolve(schema: Schema): SchemaObject {
    if (!('$ref' in schema)) return schema;
    const found = this.document.components?.schemas?.[nameOf(schema.$ref)];
    if (found === undefined) throw new Error(`no schema ${schema.$ref}`);
    return this.resolve(found);
  }

  private reach(schema: Schema, names: Set<string>): void {
    if ('$ref' in schema) {
      if (names.has(nameOf(schema.$ref))) return;
      names.add(nameOf(schema.$ref));
    }
    const s = this.resolve(schema);
    for (const next of [...(s.oneOf ?? []), ...(s.allOf ?? []), ...Object.values(s.properties ?? {})])
      this.reach(next, names);
    if (s.items !== undefined) this.reach(s.items, names);
  }

  private check(schema: Schema, value: unknown, at: string, record: boolean): string[] {
    const s = this.resolve(schema);
    if (s.oneOf !== undefined) return this.checkOneOf(s.oneOf, value, at, record);
    if (value === null) return s.nullable === true ? [] : [`${at}: null, not declared nullable`];
    if (s.allOf !== undefined) {
      // how the document says "this class, or null": one allOf beside nullable
      if (s.allOf.length !== 1) throw new Error(`${at}: an allOf of ${s.allOf.length} schemas`);
      return this.check(s.allOf[0]!, value, at, record);
    }
    if (s.enum !== undefined && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in the enum`];
    if (s.type === 'array') {
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, i) => this.check(s.items!, item, `${at}[${i}]`, record));
    }
    if (s.type === 'object' || s.properties !== undefined) return this.checkObject(schema, s, value, at, record);
    const type = s.type === 'integer' ? (Number.isInteger(value) ? 'integer' : typeof value) : typeof value;
    return type === s.type ? [] : [`${at}: a ${type}, declared ${String(s.type)}`];
  }

  private checkOneOf(branches: Schema[], value: unknown, at: string, record: boolean): string[] {
    const fitting = branches.filter((branch) => this.check(branch, value, at, false).length === 0);
    if (fitting.length !== 1) {
      const why = branches.map((branch) => this.check(branch, value, at, false).slice(0, 3).join('; '));
      return [`${at}: fits ${fitting.length} of the ${branches.length} schemas of its oneOf (${why.join(' | ')})`];
    }
    return this.check(fitting[0]!, value, at, record);
  }

  private checkObject(schema: Schema, s: SchemaObject, value: unknown, at: string, record: boolean): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
    const properties = s.properties ?? {};
    const fields = value as Record<string, unknown>;
    if (record && '$ref' in schema) {
      const seen = this.seen.get(nameOf(schema.$ref)) ?? new Set<string>();
      for (const key of Object.keys(fields)) seen.add(key);
      this.seen.set(nameOf(schema.$ref), seen);
    }
    return [
      ...Object.keys(fields)
        .filter((key) => properties[key] === undefined)
        .map((key) => `${at}.${key}: not declared`),
      ...(s.required ?? []).filter((key) => !(key in fields)).map((key) => `${at}.${key}: required, missing`),
      ...Object.entries(fields)
        .filter(([key]) => properties[key] !== undefined)
        .flatMap(([key, field]) => this.check(properties[key]!, field, `${at}.${key}`, record)),
    ];
  }
}
