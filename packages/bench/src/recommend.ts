import type { ColdStartResult } from "./cold-start.ts";
import type { LatencyResult } from "./latency.ts";
import type { MemoryResult } from "./memory.ts";
import { round } from "./stats.ts";

/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. */
export const fullVcpuMb = 1769;
const candidates = [128, 256, 512, 1024, 1769] as const;
/** A cold first response under this leaves Cognito's 5 s for the rest of the flow and a retry. */
const coldTargetMs = 1000;
/** Half of Cognito's 5 s: the most a cold start may take before it endangers the invocation. */
const coldLimitMs = 2500;

export interface MemoryOption {
  memory_mb: number;
  vcpu_share: number;
  /** Slowest trigger's estimated cold first response (import + first invocation). */
  worst_cold_ms: number;
  worst_cold_trigger: string;
  /** Pre token generation's estimated warm duration (the most frequent invocation). */
  pre_token_warm_ms: number;
  /** Lambda duration cost of 1M warm pre token invocations, arm64 list price. */
  pre_token_usd_per_million: number;
  fits_memory: boolean;
  meets_cold_target: boolean;
}

export interface Recommendation {
  memory_mb: number;
  reason: string;
  options: MemoryOption[];
  model: string;
}

/**
 * A simple, stated model: CPU time measured here stretches by 1 / (vCPU share) on Lambda, and
 * time spent waiting (wall minus CPU) stays the same. It assumes one core of this machine is
 * about one Lambda vCPU, and ignores any extra CPU Lambda may give during init, so it errs slow.
 */
export function recommendMemory(
  latency: readonly LatencyResult[],
  coldStart: readonly ColdStartResult[],
  memory: readonly MemoryResult[],
  pricePerGbSecond: number,
): Recommendation {
  const peakRss = Math.max(0, ...memory.map((result) => result.peak_rss_mb));
  const preToken = latency.find((result) => result.trigger === "pre-token-generation");
  const options = candidates.map((memoryMb): MemoryOption => {
    const share = Math.min(1, memoryMb / fullVcpuMb);
    let worst = 0;
    let worstTrigger = "";
    for (const result of coldStart) {
      const waiting = Math.max(0, result.first_response_ms - result.cold_cpu_ms);
      const estimate = result.cold_cpu_ms / share + waiting;
      if (estimate > worst) {
        worst = estimate;
        worstTrigger = result.function;
      }
    }
    const warm = preToken
      ? preToken.trigger_cpu_ms / share + Math.max(0, preToken.trigger_ms.p50 - preToken.trigger_cpu_ms)
      : 0;
    return {
      memory_mb: memoryMb,
      vcpu_share: round(share, 3),
      worst_cold_ms: round(worst, 0),
      worst_cold_trigger: worstTrigger,
      pre_token_warm_ms: round(warm, 1),
      pre_token_usd_per_million: round(
        1e6 * (memoryMb / 1024) * (Math.ceil(warm) / 1000) * pricePerGbSecond,
        2,
      ),
      fits_memory: peakRss > 0 && peakRss <= memoryMb * 0.8,
      meets_cold_target: worst <= coldTargetMs,
    };
  });
  const target = options.find((option) => option.fits_memory && option.meets_cold_target);
  const limit = options.find((option) => option.fits_memory && option.worst_cold_ms <= coldLimitMs);
  const chosen =
    target ?? limit ?? options.find((option) => option.fits_memory) ?? (options.at(-1) as MemoryOption);
  const base = `peak RSS ${peakRss} MB leaves 20% headroom; estimated worst cold start ${chosen.worst_cold_ms} ms (${chosen.worst_cold_trigger})`;
  return {
    memory_mb: chosen.memory_mb,
    reason: target
      ? `the smallest size where ${base}, under the ${coldTargetMs} ms target`
      : limit
        ? `no size reaches the ${coldTargetMs} ms cold-start target in this model; the smallest where ${base}, under ${coldLimitMs} ms (half of Cognito's 5 s)`
        : `no size keeps the estimated cold start under ${coldLimitMs} ms in this model; ${chosen.memory_mb} MB is the first whose ${base}`,
    options,
    model:
      "CPU time measured on this machine is divided by the Lambda vCPU share (memory / 1,769 MB); waiting time is kept as measured. One core here is taken as one Lambda vCPU, and Lambda's init-phase CPU is not assumed to be boosted.",
  };
}
