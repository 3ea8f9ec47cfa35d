import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON-schema fragment as the committed OpenAPI document writes it. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  /** `PATCH /api/accounts/me/members/{id}`: the key of the authorization matrix. */
  key: string;
  method: string;
  path: string;
  operationId: string;
  parameters: Parameter[];
  /** The body's content type and (resolved) schema, when the operation takes one. */
  body?: { contentType: string; schema: Schema };
  secured: boolean;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** The committed document (apps/api/openapi.json): what clients are generated from, so what the tests must cover. */
export function loadOpenApi(): Document {
  return JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as Document;
}

/** Inlines `$ref` and single `allOf` so generators see plain schemas. */
export function resolveSchema(document: Document, schema: Schema, depth = 0): Schema {
  if (depth > 8) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(document, { ...document.components.schemas[name], ...(schema.nullable ? { nullable: true } : {}) }, depth + 1);
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolveSchema(document, allOf[0], depth + 1), ...rest };
  }
  if (schema.properties) {
    return {
      ...schema,
      properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolveSchema(document, v, depth + 1)])),
    };
  }
  if (schema.items) return { ...schema, items: resolveSchema(document, schema.items, depth + 1) };
  return schema;
}

export function listOperations(document: Document = loadOpenApi()): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        parameters: operation.parameters ?? [],
        body: contentType ? { contentType, schema: resolveSchema(document, content[contentType].schema) } : undefined,
        secured: (operation.security?.length ?? 0) > 0,
      });
    }
  }
  return operations.sort((a, b) => a.key.localeCompare(b.key));
}

/** Fills `{name}` placeholders of an OpenAPI path. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`no value for path parameter ${name} of ${path}`);
    return values[name];
  });
}
