import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Messages between the bench (parent) and its server processes (children), over Node's IPC channel. */
export type ToChild = { type: 'call'; id: number; method: string; args: unknown } | { type: 'stop' };

export type FromChild = { type: 'ready'; port: number } | { type: 'result'; id: number; value?: unknown; error?: string };

/** A server process of the bench: its pid (for CPU accounting), its port, and calls into it. */
export class ChildServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  exited: string | null = null;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly port: number,
  ) {
    process.on('message', (message: FromChild) => {
      if (message.type !== 'result') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`${name}: ${message.error}`));
      else waiter?.resolve(message.value);
    });
    process.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} ${this.exited}`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Forks `script` (a file of this folder) and waits for it to listen; `env` is added to the
   * bench's own environment. The child inherits the bench's `-r @swc-node/register`: not ts-node,
   * whose `repl` import loads `node:domain` and so wraps every callback and `emit` of the
   * servers, which `node dist/main.js` never does.
   */
  static start(name: string, script: string, env: Record<string, string>, timeoutMs = 240_000): Promise<ChildServer> {
    const child = fork(join(__dirname, script), [], {
      env: { ...process.env, ...env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before listening`));
      });
      child.on('message', (message: FromChild) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new ChildServer(name, child, message.port));
      });
    });
  }

  call<T>(method: string, args: unknown): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} ${this.exited}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ type: 'call', id, method, args } satisfies ToChild);
    });
  }

  /** Asks the child to close (drain, pool end) and waits; kills it after `timeoutMs`. */
  stop(timeoutMs = 10_000): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.process.send({ type: 'stop' } satisfies ToChild);
    });
  }
}

/** The child's side: answers calls with `handlers`, runs `close` on stop, then exits. */
export function serveParent(port: number, handlers: Record<string, (args: never) => unknown>, close: () => Promise<void>): void {
  process.on('message', (message: ToChild) => {
    if (message.type === 'stop') {
      void close().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[message.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no method ${message.method}`);
        return handler(message.args as never);
      })
      .then(
        (value) => process.send?.({ type: 'result', id: message.id, value } satisfies FromChild),
        (error: unknown) =>
          process.send?.({
            type: 'result',
            id: message.id,
            error: error instanceof Error ? error.message : String(error),
          } satisfies FromChild),
      );
  });
  // The bench gone (crashed, killed): do not outlive it.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', port } satisfies FromChild);
}
