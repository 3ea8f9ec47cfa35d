import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the CPU went during a measured window, read from Linux's /proc: the whole
 * machine, the PostgreSQL server (postmaster and its backends) and named groups of
 * other processes (the API replicas, the reference server, the load). Elsewhere every
 * reading is null and the report leaves the columns out.
 */
export interface CpuReading {
  /** Jiffies of the whole machine: [busy, total]. */
  machine: [number, number] | null;
  /** CPU ticks used so far by each PostgreSQL process (postmaster and backends). */
  postgresTicks: Map<number, number> | null;
  /** CPU ticks so far of each group of {@link CpuMeter.groups}. */
  groups: Map<string, number>;
  at: number;
}

/** Cores kept busy on average over a window (0..number of cores). */
export interface CpuUse {
  machineCores: number | null;
  postgresCores: number | null;
  /** Cores per group of {@link CpuMeter.groups} (empty off Linux). */
  groups: Record<string, number>;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function machineJiffies(): [number, number] | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = fields[3] + (fields[4] ?? 0);
    return [total - idle, total];
  } catch {
    return null;
  }
}

/** [ppid, utime + stime in ticks] of a process, from /proc/<pid>/stat. */
function processStat(pid: number): [number, number] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return [Number(fields[1]), Number(fields[11]) + Number(fields[12])];
  } catch {
    return null;
  }
}

/** CPU seconds (all threads) a process has used so far; null once it is gone or off Linux. */
export function pidCpuSeconds(pid: number): number | null {
  const stat = processStat(pid);
  return stat ? stat[1] / ticksPerSecond : null;
}

/** Named groups of processes whose CPU a window is charged to (`api`, `reference`, `load`…). */
export type CpuGroups = Record<string, number[]>;

export class CpuMeter {
  private readonly postmasterPid: number | null;
  readonly cores: number;
  /** Processes other than PostgreSQL to account for, by group; changed as servers start and stop. */
  readonly groups: CpuGroups = {};

  constructor(postgresDataDir: string, cores: number) {
    this.cores = cores;
    const pidFile = join(postgresDataDir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
    this.postmasterPid = Number.isInteger(pid) && pid > 0 && existsSync('/proc/stat') ? pid : null;
  }

  private postgresTicks(): Map<number, number> | null {
    const postmaster = this.postmasterPid;
    if (postmaster === null) return null;
    const ticks = new Map<number, number>([[postmaster, processStat(postmaster)?.[1] ?? 0]]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = processStat(Number(entry));
      if (stat && stat[0] === postmaster) ticks.set(Number(entry), stat[1]);
    }
    return ticks;
  }

  read(): CpuReading {
    const groups = new Map<string, number>();
    for (const [name, pids] of Object.entries(this.groups)) {
      groups.set(
        name,
        pids.reduce((sum, pid) => sum + (processStat(pid)?.[1] ?? 0), 0),
      );
    }
    return { machine: machineJiffies(), postgresTicks: this.postgresTicks(), groups, at: performance.now() };
  }

  /** Average cores busy between two readings. A backend that ended in between is left out of the PostgreSQL share. */
  use(from: CpuReading, to: CpuReading): CpuUse {
    const seconds = (to.at - from.at) / 1000;
    let machineCores: number | null = null;
    if (from.machine && to.machine && to.machine[1] > from.machine[1]) {
      machineCores = ((to.machine[0] - from.machine[0]) / (to.machine[1] - from.machine[1])) * this.cores;
    }
    let postgresCores: number | null = null;
    if (from.postgresTicks && to.postgresTicks && seconds > 0) {
      let ticks = 0;
      for (const [pid, now] of to.postgresTicks) ticks += now - (from.postgresTicks.get(pid) ?? 0);
      postgresCores = ticks / ticksPerSecond / seconds;
    }
    const groups: Record<string, number> = {};
    if (seconds > 0 && machineCores !== null) {
      for (const [name, ticks] of to.groups) groups[name] = Math.max(0, ticks - (from.groups.get(name) ?? 0)) / ticksPerSecond / seconds;
    }
    return { machineCores, postgresCores, groups };
  }
}

/** CPU seconds of this process (all its threads) as a number. */
export function processCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
