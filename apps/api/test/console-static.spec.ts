import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestApp, TestApp } from './test-app';

/**
 * The console as the API serves it: a stand-in build (fingerprinted bundle, index.html,
 * favicon) precompressed by the same script the console build runs.
 */
describe('console static files: precompressed, cached by fingerprint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-static-'));
  const bundle = `/* the console */\n${'export const line = "a repeated line that compresses well";\n'.repeat(200)}`;
  let t: TestApp;

  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><app-root></app-root></body></html>');
    writeFileSync(join(dir, 'main-RUE4AAQE.js'), bundle);
    writeFileSync(join(dir, 'favicon.ico'), Buffer.alloc(2048, 1));
    execFileSync(process.execPath, [join(__dirname, '../../../tools/precompress.mjs'), dir]);
    t = await createTestApp({ CONSOLE_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchBundle = (acceptEncoding?: string) =>
    t.app.inject({ method: 'GET', url: '/main-RUE4AAQE.js', headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

  it('sends brotli to a browser that accepts it, with a year of immutable caching', async () => {
    const response = await fetchBundle('gzip, deflate, br, zstd');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(String(response.headers['content-type'])).toContain('javascript');
    expect(String(response.headers['vary'])).toContain('accept-encoding');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.rawPayload.length).toBeLessThan(bundle.length / 10);
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(bundle);
  });

  it('sends gzip when brotli is not accepted', async () => {
    const response = await fetchBundle('gzip');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(response.rawPayload).toString()).toBe(bundle);
  });

  it('sends the file as it is to a client that accepts no encoding, still varying on it', async () => {
    const response = await fetchBundle();
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(String(response.headers['vary'])).toContain('accept-encoding');
    expect(response.body).toBe(bundle);
  });

  it('does not expose the compressed copies under their own names', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/main-RUE4AAQE.js.br', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
  });

  it('has index.html revalidated on every load, at / and for deep links', async () => {
    for (const url of ['/', '/devices', '/login?next=%2Faudit']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<app-root>');
    }
  });

  it('revalidates files without a fingerprint (favicon), compressed or not', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(plain.headers['cache-control']).toBe('no-cache');
    const compressed = await t.app.inject({ method: 'GET', url: '/favicon.ico', headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers['cache-control']).toBe('no-cache');
  });

  it('keeps unknown API routes JSON even when HTML is accepted', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(String(response.headers['content-type'])).toContain('problem+json');
  });
});
