import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemException } from './problem';

/**
 * Deepest `[`/`{` nesting a request body may have. Our DTOs go three levels deep at
 * most; validation and class-transformer recurse per level, so a body nested
 * thousands deep (reachable without signing in) used to end in a stack overflow (500).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the JSON text nests deeper than `max`. One linear pass over the bytes,
 * skipping string contents, before anything parses or recurses.
 */
export function exceedsJsonDepth(text: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
  return false;
}

export const tooDeep = () =>
  new ProblemException(
    HttpStatus.BAD_REQUEST,
    'malformed_request',
    `The JSON body is nested too deeply (more than ${MAX_JSON_DEPTH} levels).`,
  );

/**
 * Replaces the JSON body parser with one that refuses deep nesting first, then parses
 * with Fastify's own secure-json-parse (`__proto__` / `constructor.prototype` keys are errors).
 */
export function useSafeJsonParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (exceedsJsonDepth(body)) {
      done(tooDeep(), undefined);
      return;
    }
    // Fastify's parser takes the Buffer too (secure-json-parse decodes it); its types say string.
    void parse(request as Parameters<typeof parse>[0], body as unknown as string, done);
  });
}
