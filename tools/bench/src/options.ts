/** Command line of `npm run bench`; every value is bounded so a run always ends. */
export interface BenchOptions {
  /** Under a minute, every scenario with smaller sizes and shorter windows (CI). */
  quick: boolean;
  /** Measured seconds per point (one server at one concurrency). */
  durationSeconds: number;
  /** Unmeasured seconds before each point. */
  warmupSeconds: number;
  /** Concurrencies of the refresh and guarded-read sweeps. */
  concurrencies: number[];
  /** The concurrency of the other HTTP scenarios and of the replica comparison. */
  concurrency: number;
  /** Rows of the big `sessions` and `audit_events` tables. */
  bigRows: number;
  /** Sessions of the two bulk revocations. */
  revokeSizes: number[];
  /** Sessions of the "many devices" user (beyond the cap, seeded in SQL). */
  manyDevices: number;
  /** PostgreSQL pool of each API replica and of the reference server. */
  poolSize: number;
  /** Rewrite docs/benchmarks.md and its charts with this run's figures. */
  write: boolean;
  /** V8 CPU profile of the API during refresh at `concurrency` (summary in the report). */
  profile: boolean;
  /** Run only these sections (all when null): to measure one thing again without the rest. */
  only: Section[] | null;
  help: boolean;
}

/** The sections of a run, in the order they run (`--only` names them). */
export const SECTIONS = ['refresh', 'reads', 'signin', 'devices', 'replicas', 'revoke', 'big'] as const;
export type Section = (typeof SECTIONS)[number];

export class UsageError extends Error {}

export const USAGE = [
  'Usage: npm run bench [-- [--quick] [--write] [--profile] [--duration S] [--warmup S] [--pool N] [--big-rows N] [--revoke A,B] [--only S,T]]',
  '',
  '  --quick        every scenario, small and short (< 1 min; what CI runs); never fails on a timing',
  '  --write        rewrite docs/benchmarks.md and docs/benchmarks-*.svg with this run',
  '  --profile      V8 CPU profile of the API replica during refresh (with --only signin: during sign-in)',
  '  --duration S   measured seconds per point; default 4 (quick 1), 1..60',
  '  --warmup S     warm-up seconds per point; default 1 (quick 0.5), 0..30',
  '  --pool N       PostgreSQL pool per API replica and of the reference server; default 20, 1..100',
  '  --big-rows N   rows of the big sessions and audit tables; default 1000000 (quick 20000)',
  '  --revoke A,B   sessions of the bulk revocations; default 10000,100000 (quick 1000,10000)',
  `  --only S,T     only these sections: ${SECTIONS.join(', ')} (not with --write)`,
].join('\n');

function parseNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined) throw new UsageError(`${flag} needs a value`);
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) throw new UsageError(`${flag}: '${raw}' is not a number in ${min}..${max}`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    durationSeconds: quick ? 1 : 4,
    warmupSeconds: quick ? 0.5 : 1,
    concurrencies: quick ? [32] : [1, 8, 32, 128],
    concurrency: 32,
    bigRows: quick ? 20_000 : 1_000_000,
    revokeSizes: quick ? [1_000, 10_000] : [10_000, 100_000],
    manyDevices: quick ? 2_000 : 10_000,
    poolSize: 20,
    write: false,
    profile: false,
    only: null,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--quick') continue;
    else if (flag === '--write') options.write = true;
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--duration') options.durationSeconds = parseNumber(flag, value(), 1, 60);
    else if (flag === '--warmup') options.warmupSeconds = parseNumber(flag, value(), 0, 30);
    else if (flag === '--pool') options.poolSize = parseNumber(flag, value(), 1, 100);
    else if (flag === '--big-rows') options.bigRows = parseNumber(flag, value(), 1000, 10_000_000);
    else if (flag === '--revoke') {
      const sizes = (value() ?? '').split(',');
      options.revokeSizes = sizes.map((size) => parseNumber(flag, size, 1, 1_000_000));
    } else if (flag === '--only') {
      const names = (value() ?? '').split(',').filter((name) => name.length > 0);
      const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0)
        throw new UsageError(`--only: '${unknown.join(',')}' is not one of ${SECTIONS.join(', ')}`);
      options.only = names as Section[];
    } else throw new UsageError(`unknown argument '${argv[i]}'`);
  }
  if (options.quick && options.write) throw new UsageError('--quick figures are not written into docs/benchmarks.md');
  if (options.only && options.write) throw new UsageError('--only runs part of the scenarios: not written into docs/benchmarks.md');
  return options;
}
