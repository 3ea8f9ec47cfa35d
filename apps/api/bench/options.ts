/** Command line and environment of `npm run bench`; every value is bounded so a run always ends. */
export interface BenchOptions {
  /** Measured seconds per scenario in all (after the warm-ups), split evenly across the rounds. */
  durationSeconds: number;
  /** Rounds through all scenarios; interleaving spreads slow drift of the machine over every scenario. */
  rounds: number;
  /** Unmeasured seconds per scenario before the measurement starts. */
  warmupSeconds: number;
  /** Concurrent clients (HTTP scenarios) or concurrent statement loops (SQL scenarios). */
  concurrency: number;
  /** Independent sessions per refresh scenario, each with its own token chain. */
  sessions: number;
  /** The API's PostgreSQL pool size; the SQL scenarios use a pool of the same size. */
  poolSize: number;
  /** Rewrite docs/benchmarks.md with this run's figures. */
  write: boolean;
  /** Write a V8 CPU profile of the API process during scenario A's measured window. */
  profile: boolean;
  help: boolean;
}

interface Spec {
  key: 'durationSeconds' | 'rounds' | 'warmupSeconds' | 'concurrency' | 'sessions' | 'poolSize';
  flag: string;
  env: string;
  fallback: number;
  min: number;
  max: number;
  help: string;
}

const SPECS: Spec[] = [
  {
    key: 'durationSeconds',
    flag: '--duration',
    env: 'BENCH_DURATION',
    fallback: 16,
    min: 1,
    max: 120,
    help: 'measured seconds per scenario, rounds together',
  },
  { key: 'rounds', flag: '--rounds', env: 'BENCH_ROUNDS', fallback: 2, min: 1, max: 10, help: 'rounds through all scenarios' },
  {
    key: 'warmupSeconds',
    flag: '--warmup',
    env: 'BENCH_WARMUP',
    fallback: 2,
    min: 0,
    max: 60,
    help: 'warm-up seconds per scenario and round',
  },
  { key: 'concurrency', flag: '--concurrency', env: 'BENCH_CONCURRENCY', fallback: 32, min: 1, max: 512, help: 'concurrent clients' },
  {
    key: 'sessions',
    flag: '--sessions',
    env: 'BENCH_SESSIONS',
    fallback: 2000,
    min: 1,
    max: 100_000,
    help: 'sessions per refresh scenario',
  },
  { key: 'poolSize', flag: '--pool', env: 'BENCH_POOL', fallback: 20, min: 1, max: 100, help: 'PostgreSQL pool size of the API and of B1' },
];

export class UsageError extends Error {}

export const USAGE = [
  'Usage: npm run bench [-- [--write] [--profile] [--duration S] [--rounds N] [--warmup S] [--concurrency N] [--sessions N] [--pool N]]',
  '',
  ...SPECS.map((s) => `  ${`${s.flag} (${s.env})`.padEnd(34)} ${s.help}; default ${s.fallback}, ${s.min}..${s.max}`),
  `  ${'--write'.padEnd(34)} rewrite docs/benchmarks.md with the figures of this run`,
  `  ${'--profile'.padEnd(34)} write a CPU profile of the API during scenario A to the temp folder (open in Chrome DevTools)`,
].join('\n');

function parseInteger(name: string, raw: string, spec: Spec): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${name}: '${raw}' is not a whole number`);
  const value = Number(raw.trim());
  if (value < spec.min || value > spec.max) throw new UsageError(`${name}: ${value} is outside ${spec.min}..${spec.max}`);
  return value;
}

/** `--flag value`, `--flag=value` and BENCH_* variables; flags win over the environment. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const options: BenchOptions = {
    durationSeconds: 0,
    rounds: 0,
    warmupSeconds: 0,
    concurrency: 0,
    sessions: 0,
    poolSize: 0,
    write: false,
    profile: false,
    help: false,
  };
  for (const spec of SPECS) {
    const raw = env[spec.env];
    options[spec.key] = raw === undefined || raw === '' ? spec.fallback : parseInteger(spec.env, raw, spec);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--write') {
      options.write = true;
      continue;
    }
    if (arg === '--profile') {
      options.profile = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const spec = SPECS.find((s) => s.flag === flag);
    if (!spec) throw new UsageError(`unknown argument '${arg}'`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`${flag} needs a value`);
    options[spec.key] = parseInteger(flag, raw, spec);
  }
  if (options.sessions < options.concurrency) {
    throw new UsageError(
      `--sessions (${options.sessions}) must be at least --concurrency (${options.concurrency}): each client rotates its own sessions`,
    );
  }
  return options;
}
