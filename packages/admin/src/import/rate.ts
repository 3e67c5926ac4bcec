import { sleep as realSleep } from "../cognito.ts";

export interface TokenBucketOptions {
  /** Tokens added per second: the steady request rate. */
  ratePerSecond: number;
  /** Tokens the bucket holds when full: how many requests may go at once after a pause. */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket in front of one Cognito quota category. Cognito's quotas are per account and
 * region and shared with the app's own sign-ups, so a bulk job paces itself below them instead
 * of relying on throttling errors (which `withBackoff` still absorbs when it happens anyway).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError("ratePerSecond must be above 0");
    this.burst = Math.max(1, options.burst ?? 1);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Waits until a token is available, then spends it. Callers take tokens one at a time. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((now - this.last) * this.options.ratePerSecond) / 1000,
      );
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond));
    }
  }
}
