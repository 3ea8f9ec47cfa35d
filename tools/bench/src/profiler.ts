import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A V8 CPU profile of this process (`--profile`), for "where does the API's time go". */
export class CpuProfiler {
  private readonly session = new Session();

  private post<T = unknown>(method: string, params?: object): Promise<T> {
    return new Promise((resolvePost, reject) => {
      this.session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolvePost(result as T)));
    });
  }

  async start(): Promise<void> {
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 250 });
    await this.post('Profiler.start');
  }

  /** Stops, writes the profile (open it in Chrome DevTools) and returns a short self-time summary. */
  async stop(file: string): Promise<string[]> {
    const { profile } = await this.post<{ profile: Profile }>('Profiler.stop');
    this.session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return summarizeProfile(profile);
  }
}

/** A `node_modules` package or an app folder; null for V8, native code and Node's own modules. */
function codeOwner(url: string): string | null {
  if (!url || url.startsWith('node:')) return null;
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1];
  return relative(process.cwd(), path).split('/').slice(0, 4).join('/');
}

/**
 * Self time per owner and per function. Native code and Node internals are charged
 * to the nearest package or app frame that called them (a failed key parse inside
 * `crypto` shows up as the package that asked for it).
 */
export function summarizeProfile(profile: Profile): string[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // The profiler's own calls (Profiler.stop serialising the profile) are not the API's time.
  const own = new Set<number>();
  for (const node of profile.nodes) {
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      if (nodes.get(id)?.callFrame.url.endsWith('profiler.ts')) {
        own.add(node.id);
        break;
      }
    }
  }
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (!own.has(id)) selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0) || 1;
  const label = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${codeOwner(node.callFrame.url) ?? (node.callFrame.url ? 'node internals' : 'native')}`;

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const self = selfTime.get(node.id) ?? 0;
    if (!self) continue;
    let owner = codeOwner(node.callFrame.url);
    let caller: ProfileNode | undefined;
    for (let id = parent.get(node.id); owner === null && id !== undefined; id = parent.get(id)) {
      const ancestor = nodes.get(id);
      if (!ancestor) break;
      caller ??= ancestor;
      owner = codeOwner(ancestor.callFrame.url);
    }
    const special = /^\((idle|program|garbage collector|root)\)$/.test(node.callFrame.functionName);
    const who = special ? node.callFrame.functionName : (owner ?? 'unattributed');
    byOwner.set(who, (byOwner.get(who) ?? 0) + self);
    const fn = special ? who : `${label(node)}${caller && !codeOwner(node.callFrame.url) ? ` ← ${label(caller)}` : ''} [${who}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + self);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, value]) => `${((value / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
  return ['self time by owner (native code charged to its caller):', ...top(byOwner, 15), 'self time by function:', ...top(byFunction, 20)];
}
