import type { Reporter, TestModule, TestSpecification, Vitest } from "vitest/node";

/**
 * Where the e2e global setup (./shared-stack.ts) leaves the shared stack's stop for the reporter
 * below: both run in vitest's main process, but as separate module instances.
 */
const stopKey = Symbol.for("cognito-lifecycle.e2e.stopSharedStack");

type Stop = () => Promise<void>;

export function offerSharedStackStop(stop: Stop): void {
  (globalThis as Record<symbol, Stop | undefined>)[stopKey] = stop;
}

/**
 * Stops the browser tests' shared stack as soon as the run's last browser test file ends, instead
 * of at the end of the run: its stream consumers and 200 ms webhook dispatch keep polling
 * DynamoDB Local while the "suite" project's files run after it. Only in a single run; in watch
 * mode the stack must outlive each run. The global teardown still stops it when this did not.
 */
export class StopSharedStackWhenDone implements Reporter {
  private left = 0;
  private watching = false;

  constructor(private readonly project: string) {}

  onInit(vitest: Vitest): void {
    this.watching = vitest.config.watch;
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.left = specifications.filter((specification) => specification.project.name === this.project).length;
  }

  onTestModuleEnd(testModule: TestModule): void {
    if (this.watching || testModule.project.name !== this.project) return;
    this.left -= 1;
    if (this.left !== 0) return;
    const stop = (globalThis as Record<symbol, Stop | undefined>)[stopKey];
    // Not awaited here: the teardown awaits the same stop.
    void stop?.();
  }
}
