export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Cleanup steps, run last-in first-out, each at most once, each bounded. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolveTimeout) => {
          timer = setTimeout(() => {
            log(`cleanup: ${step.name} did not finish within 15 s; going on`);
            resolveTimeout();
          }, 15_000);
        });
        try {
          await Promise.race([Promise.resolve().then(step.run), timeout]);
        } catch (error) {
          log(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}
