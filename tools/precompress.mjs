#!/usr/bin/env node
// Writes `<file>.br` and `<file>.gz` next to every compressible file of a built site, so the
// API's static server (@fastify/static `preCompressed`) sends them as they are: maximum
// compression once at build time instead of none (or a fast, weak one) on every request.
// Usage: node tools/precompress.mjs dist/apps/console/browser
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt|ico|map|webmanifest)$/;
// Below this a compressed copy saves less than its extra round of headers.
const MIN_BYTES = 1024;

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node tools/precompress.mjs <directory>\n');
  process.exit(2);
}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name) && statSync(path).size >= MIN_BYTES) yield path;
  }
}

let count = 0;
let before = 0;
let afterBrotli = 0;
for (const path of files(root)) {
  const source = readFileSync(path);
  const br = brotliCompressSync(source, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
  count += 1;
  before += source.length;
  afterBrotli += br.length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
process.stdout.write(`precompress: ${count} files in ${root}, ${kb(before)} -> ${kb(afterBrotli)} brotli\n`);
