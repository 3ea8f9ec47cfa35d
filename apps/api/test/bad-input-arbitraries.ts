import fc from 'fast-check';
import type { Operation, Schema } from './openapi-operations';

/** One hostile request, as sent through `app.inject` (or written to a socket). */
export interface FuzzRequest {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  auth: 'none' | 'caller' | 'garbage';
}

/** percent-encodes anything, lone surrogates included (as their WTF-8 bytes, which are not UTF-8). */
export function encodeLoose(value: string): string {
  let out = '';
  for (const char of value) {
    try {
      out += encodeURIComponent(char);
    } catch {
      out += [...Buffer.from([0xed, 0xa0 | ((char.charCodeAt(0) >> 6) & 0x0f), 0x80 | (char.charCodeAt(0) & 0x3f)])]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
  }
  return out;
}

/**
 * Any code point, lone surrogates included. (fast-check's `unit: 'binary'` is the same set but
 * builds a large table on first use: seconds on a busy CI machine.)
 */
export const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings that have broken things before: NUL, lone surrogates, huge, control and bidi characters, injections. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\u2028', '\u202e', '\ufeff', '\uffff'),
      fc.string({ maxLength: 10 }),
    )
    .map((p) => p.join('')),
  fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 })).map((p) => p.join('')),
  fc.integer({ min: 200, max: 70_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => '😀'.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    '%00',
    '%s%s%s%n',
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '{{7*7}}',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    'a@b',
    'owner@demo.test\u0000',
    'é'.normalize('NFD'),
    '\u0000',
    '\ud800',
    '\udfff',
  ),
);

export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.5, -1, '1', 'true', []),
);

/** A plausible value for a schema, often right, sometimes at or past its edges. */
export function plausible(schema: Schema): fc.Arbitrary<unknown> {
  const values: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) values.push(fc.constantFrom(...schema.enum));
  else if (schema.type === 'integer' || schema.type === 'number')
    values.push(fc.integer({ min: -10, max: 200_000 }), fc.constantFrom(15, 60, 4320, 20160, 43200, 129600));
  else if (schema.type === 'boolean') values.push(fc.boolean());
  else if (schema.type === 'string') {
    values.push(
      fc.stringMatching(/^[a-z]{1,12}@example\.test$/),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom('password-123456', 'owner', 'admin', 'engineer', 'all', 'others', 'password'),
    );
  } else values.push(fc.jsonValue({ maxDepth: 2 }));
  if (schema.nullable) values.push(fc.constant(null));
  return fc.oneof(...values);
}

/** An object for a body schema, each field plausible, optional fields sometimes absent. */
export function plausibleObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, plausible(child)]));
  return fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

const deepJson = fc
  .tuple(fc.integer({ min: 20, max: 5_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));

/** Object mutations: a field of the wrong type, missing, extra, hostile, deeply nested; poisoned keys. */
function mutatedBody(schema: Schema): fc.Arbitrary<{ kind: string; text: string }> {
  const names = Object.keys(schema.properties ?? {});
  const field = names.length ? fc.constantFrom(...names) : fc.constant('x');
  const base = plausibleObject(schema);
  const json = (kind: string, value: unknown) => ({ kind, text: JSON.stringify(value) });
  return fc.oneof(
    base.map((body) => json('plausible body', body)),
    fc.tuple(base, field, wrongType).map(([body, name, value]) => json('wrong type', { ...body, [name]: value })),
    fc.tuple(base, field).map(([body, name]) => {
      const rest = { ...body };
      delete rest[name];
      return json('missing field', rest);
    }),
    fc
      .tuple(
        base,
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('role', 'account_id', 'is_admin', 'id')),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([body, name, value]) => json('extra field', { ...body, [name]: value })),
    fc.tuple(base, field, hostileString).map(([body, name, value]) => json('hostile string', { ...body, [name]: value })),
    fc.tuple(base, field, deepJson).map(([body, name, deep]) => ({
      kind: 'deep nesting in a field',
      text: JSON.stringify({ ...body, [name]: 0 }).replace(`"${name}":0`, `"${name}":${deep}`),
    })),
    fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 })).map(([body, key, value]) => {
      const rest = JSON.stringify(body).slice(1);
      const poison = key === 'constructor' ? `{"prototype":${JSON.stringify(value)}}` : JSON.stringify({ role: 'owner', polluted: value });
      return { kind: `${key} key`, text: `{"${key}":${poison}${rest === '}' ? '}' : `,${rest}`}` };
    }),
    fc.tuple(base, field, fc.constantFrom('\u0000', '\ud800', '\udc00')).map(([body, name, char]) => ({
      kind: 'escaped NUL or surrogate in a key',
      text: JSON.stringify({ ...body, [`${name}${char}`]: 'x' }),
    })),
  );
}

/** Whole bodies that are not what any endpoint takes: other JSON values, broken JSON, bytes, too large. */
const strangeBody: fc.Arbitrary<{ kind: string; text: string | Buffer }> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'other JSON value', text: JSON.stringify(value) ?? 'null' })),
  fc.tuple(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), fc.nat()).map(([value, cut]) => {
    const text = JSON.stringify(value);
    return { kind: 'truncated JSON', text: text.slice(0, cut % Math.max(1, text.length)) };
  }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'random bytes', text: Buffer.from(bytes) })),
  fc
    .constantFrom('', ' ', 'null', '[]', '"x"', '{', '}', '{"a":1,}', "{'a':1}", '\ufeff{}', '{"a":NaN}', '{"a":1e999999}')
    .map((text) => ({ kind: 'odd JSON', text })),
  fc.constant({
    kind: 'invalid UTF-8 in a string',
    text: Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]),
  }),
  deepJson.map((text) => ({ kind: 'deep nesting', text })),
  fc.integer({ min: 64 * 1024, max: 200 * 1024 }).map((n) => ({ kind: 'oversized body', text: `{"email":"${'a'.repeat(n)}"}` })),
);

const contentTypes = fc.constantFrom(
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/merge-patch+json',
  '*/*',
  '',
);

export const badId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid().map((id) => id),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.string({ maxLength: 40 }).map(encodeLoose),
  hostileString.filter((s) => s.length < 180).map(encodeLoose),
  fc.integer({ min: 201, max: 2_000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom(
    '0',
    '-1',
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%ED%A0%80',
    '%C0%AF',
    '%',
    '%zz',
    'null',
    '00000000-0000-0000-0000-000000000000',
    'me',
    '*',
  ),
);

const queryValue = fc.oneof(
  hostileString.filter((s) => s.length < 3_000),
  fc.integer().map(String),
  fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday', '-1', '201', '1e3'),
);

function query(operation: Operation): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const names = fc.oneof(
    ...(declared.length ? [fc.constantFrom(...declared)] : []),
    fc.constantFrom('__proto__', 'constructor[prototype]', 'a[b][c]', 'access_token', 'limit'),
    fc.string({ minLength: 1, maxLength: 10 }),
  );
  return fc
    .array(fc.tuple(names, queryValue), { maxLength: 4 })
    .map((pairs) => (pairs.length ? '?' + pairs.map(([name, value]) => `${encodeLoose(name)}=${encodeLoose(value)}`).join('&') : ''));
}

const headerValue = fc.string({ unit: anyCodePoint, maxLength: 60 });
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'user-agent': fc.oneof(
      headerValue,
      fc.integer({ min: 400, max: 4_000 }).map((n) => 'Mozilla/5.0 ' + 'x'.repeat(n)),
    ),
    'x-token-transport': fc.oneof(fc.constant('cookie'), headerValue),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerValue, fc.constant('1.1.1.1, 2.2.2.2, unknown')),
    'x-request-id': headerValue,
    cookie: fc.oneof(
      headerValue.map((v) => `sessions_refresh=${encodeLoose(v)}`),
      fc.constant('sessions_refresh=a.b.c; sessions_refresh=d'),
    ),
    accept: fc.constantFrom('text/html', '*/*', 'application/json'),
  },
  { requiredKeys: [] },
);

/** Every request for one operation, hostile in one or several ways at once. */
export function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const schema = operation.body?.schema ?? { type: 'object', properties: {} };
  const isForm = operation.body?.contentType === 'application/x-www-form-urlencoded';
  const pathArb = fc
    .record(Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, badId])))
    .map((values) => operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? 'x'));
  const jsonBody = fc.oneof({ arbitrary: mutatedBody(schema), weight: 4 }, { arbitrary: strangeBody, weight: 2 });
  const fieldNames = Object.keys(schema.properties ?? {}).length ? Object.keys(schema.properties ?? {}) : ['x'];
  const formBody = fc.oneof(
    plausibleObject(schema).map((body) => ({
      kind: 'plausible form',
      text: new URLSearchParams(body as Record<string, string>).toString(),
    })),
    fc.tuple(plausibleObject(schema), fc.constantFrom(...fieldNames), hostileString).map(([body, name, value]) => ({
      kind: 'hostile form field',
      text: `${new URLSearchParams(body as Record<string, string>).toString()}&${name}=${encodeLoose(value)}`,
    })),
    fc
      .constantFrom(
        'username=a&username=b&password=c',
        '__proto__=x&password=y',
        'username[a]=1',
        '=&&=',
        '%zz=%',
        'username=%00&password=%ED%A0%80',
      )
      .map((text) => ({ kind: 'odd form', text })),
    strangeBody,
  );
  const body = isForm ? formBody : jsonBody;
  const defaultType = operation.body?.contentType ?? 'application/json';
  return fc
    .record({
      path: pathArb,
      query: query(operation),
      body: fc.option(body, { nil: undefined, freq: operation.body ? 8 : 2 }),
      contentType: fc.oneof({ arbitrary: fc.constant(defaultType), weight: 5 }, { arbitrary: contentTypes, weight: 1 }),
      headers: extraHeaders,
      auth: fc.constantFrom<FuzzRequest['auth']>(
        ...(operation.secured
          ? (['caller', 'caller', 'caller', 'caller', 'none', 'garbage'] as const)
          : (['none', 'none', 'garbage'] as const)),
      ),
    })
    .map(({ path, query: search, body: chosen, contentType, headers, auth }) => ({
      kind: chosen?.kind ?? 'no body',
      method: operation.method,
      url: path + search,
      headers: chosen !== undefined && contentType ? { ...headers, 'content-type': contentType } : headers,
      payload: chosen?.text,
      auth,
    }));
}

/** Requests over a real socket: what Node's HTTP parser sees before Fastify (long URLs and headers, bad bytes). */
export function rawRequestFor(operations: Operation[]): fc.Arbitrary<{ kind: string; text: string }> {
  const operation = fc.constantFrom(...operations);
  const longPath = fc.tuple(operation, fc.integer({ min: 201, max: 40_000 })).map(([op, n]) => ({
    kind: 'long path',
    line: `${op.method} ${op.path.replace(/\{[^}]+\}/g, 'a'.repeat(n))}${op.path.includes('{') ? '' : '/' + 'b'.repeat(n)}`,
    headers: '',
  }));
  const bigHeader = fc
    .tuple(operation, fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('user-agent', 'cookie', 'authorization', 'x-anything'))
    .map(([op, n, name]) => ({
      kind: n > 16_000 ? 'oversized header' : 'long header',
      line: `${op.method} ${op.path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000')}`,
      headers: `${name}: ${'h'.repeat(n)}\r\n`,
    }));
  const manyHeaders = fc.tuple(operation, fc.integer({ min: 100, max: 3_000 })).map(([op, n]) => ({
    kind: 'many headers',
    line: `${op.method} ${op.path.replace(/\{[^}]+\}/g, '1')}`,
    headers: Array.from({ length: n }, (_v, i) => `x-h${i}: v\r\n`).join(''),
  }));
  const badBytes = fc.tuple(operation, fc.constantFrom('\u0000', '\u0001', '\u007f', '\u00ff', 'é', '\u001b[31m')).map(([op, char]) => ({
    kind: 'control byte in a header',
    line: `${op.method} ${op.path.replace(/\{[^}]+\}/g, '1')}`,
    headers: `user-agent: a${char}b\r\n`,
  }));
  const badLine = fc
    .constantFrom(
      'GET',
      'GET /api/health HTTP/9.9',
      'FOO /api/health HTTP/1.1',
      'GET  /api/health HTTP/1.1',
      '\u0000\u0001\u0002',
      'GET /api/he alth HTTP/1.1',
      'GET http://evil/api/health HTTP/1.1',
    )
    .map((line) => ({
      kind: 'malformed request line',
      line,
      headers: '',
    }));
  return fc.oneof(longPath, bigHeader, manyHeaders, badBytes, badLine).map(({ kind, line, headers }) => ({
    kind,
    text: `${line}${line.includes('HTTP/') ? '' : ' HTTP/1.1'}\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`,
  }));
}
