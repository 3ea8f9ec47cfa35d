// Fails when libs/api-client/src/generated is not what ng-openapi-gen makes of
// apps/api/openapi.json today: regenerates into a temporary folder and compares
// every file byte for byte. Fix with `npx nx run api-client:generate`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = process.cwd();
const committed = join(root, 'libs/api-client/src/generated');
const fresh = mkdtempSync(join(tmpdir(), 'api-client-'));

/** Every file under `root`, as sorted paths relative to it. */
function files(root) {
  const walk = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(root, path)];
    });
  return walk(root).sort();
}

try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/ng-openapi-gen/lib/index.js'), '--config', 'libs/api-client/ng-openapi-gen.json', '--output', fresh],
    { cwd: root, stdio: 'inherit' },
  );
  const expected = files(fresh);
  const actual = files(committed);
  const problems = [
    ...expected.filter((f) => !actual.includes(f)).map((f) => `missing: ${f}`),
    ...actual.filter((f) => !expected.includes(f)).map((f) => `stale:   ${f}`),
    ...expected
      .filter((f) => actual.includes(f))
      .filter((f) => !readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f))))
      .map((f) => `changed: ${f}`),
  ];
  if (problems.length > 0) {
    console.error(
      `The generated API client is out of date with apps/api/openapi.json:\n  ${problems.join('\n  ')}\n` +
        'Run `npx nx run api-client:generate` and commit the result.',
    );
    process.exitCode = 1;
  } else {
    console.log(`The generated API client matches apps/api/openapi.json (${expected.length} files).`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
