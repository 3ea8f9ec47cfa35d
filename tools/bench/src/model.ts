import type { BenchOptions } from './options';
import type { Summary } from './stats';

/** One measured load: one server (or pgbench, or raw argon2) at one concurrency. */
export interface Point {
  /** Stable key, e.g. `refresh/api/32`; the report and the "missing scenario" check use it. */
  id: string;
  scenario: string;
  /** The column/series: `API`, `reference`, `pgbench`, `health`… */
  series: string;
  operation: string;
  concurrency: number;
  summary: Summary;
  unexpected: number;
  outcomes: Record<string, number>;
  failures: string[];
  /** Average cores busy over the measured window; null when not measurable here. */
  cpu: {
    /** The process(es) serving the load: API replicas, reference server, argon2 worker; null for pgbench. */
    server: number | null;
    postgres: number | null;
    /** The load generator: autocannon in the bench process, or pgbench. */
    load: number | null;
    machine: number | null;
  };
}

/** An operation timed once (bulk revocation). */
export interface Once {
  id: string;
  label: string;
  ms: number;
  ok: boolean;
  detail: string;
}

/** A query plan of a hot statement on the big tables. */
export interface Plan {
  id: string;
  label: string;
  statement: string;
  plan: string;
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  pgbench: string | null;
  postgresSettings: Record<string, string>;
  dataDirFilesystem: string;
  uvThreadpoolSize: string;
  argon2: string;
  sessionCap: number;
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
  points: Point[];
  once: Once[];
  plans: Plan[];
  profile: string[];
  /** Scenarios that could not run, and why (a missing pgbench is a note, not an error). */
  notes: string[];
  /** Anything that makes the run fail: unexpected answers, a crashed server, a missing scenario. */
  errors: string[];
}
