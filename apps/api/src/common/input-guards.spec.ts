import fc from 'fast-check';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-body';
import { redactUrl } from './redact-url';
import { findStringProblems, sanitiseHeaderText, stringProblem } from './string-content';

/** Nesting depth of a parsed JSON value, counted the way the scanner counts brackets. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('exceedsJsonDepth', () => {
  it('agrees with the real depth of any JSON document, brackets inside strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), fc.integer({ min: 1, max: 40 }), (value, max) => {
        expect(exceedsJsonDepth(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
    );
  });

  it('refuses thousands of levels and accepts the limit itself', () => {
    expect(exceedsJsonDepth('['.repeat(100_000))).toBe(true);
    expect(exceedsJsonDepth('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(`{"a":"${'[{'.repeat(1_000)}\\"[["}`)).toBe(false);
  });
});

describe('string content', () => {
  it('names NUL and lone surrogates, and accepts any well-formed text without NUL', () => {
    expect(stringProblem('a\u0000b')).toMatch(/NUL/);
    expect(stringProblem('a\ud800')).toMatch(/surrogate/);
    expect(stringProblem('\udc00a')).toMatch(/surrogate/);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => expect(stringProblem(text.split('\u0000').join(''))).toBeNull()));
  });

  it('finds bad strings and keys at any depth, with a dotted field name', () => {
    expect(findStringProblems({ a: [{ b: 'x\u0000' }], ['k\ud800']: 1 }).map((e) => e.field)).toEqual(['a.0.b', 'k\uFFFD']);
  });

  it('sanitises header text into something storable', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) }), (text) => {
        const clean = sanitiseHeaderText(text);
        expect(stringProblem(clean)).toBeNull();
        expect(clean).toHaveLength(text.length);
      }),
    );
  });
});

describe('redactUrl', () => {
  it('hides credential-like query values and keeps the rest', () => {
    expect(redactUrl('/api/x?access_token=a.b.c&limit=5&refresh_token=d&token=e&code=f&password=g')).toBe(
      '/api/x?access_token=[redacted]&limit=5&refresh_token=[redacted]&token=[redacted]&code=[redacted]&password=[redacted]',
    );
    expect(redactUrl('/api/x?%61ccess_token=secret')).toBe('/api/x?%61ccess_token=[redacted]');
    expect(redactUrl('/api/x?cursor=abc&since=2026')).toBe('/api/x?cursor=abc&since=2026');
    expect(redactUrl('/api/x')).toBe('/api/x');
  });
});
