import { estimateCost, type PasswordCredential } from "@cognito-lifecycle/core/passwords";
import { describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { costliestCredentials, migrationTriggerDefaults } from "../../packages/bench/src/passwords.ts";
import { fullVcpuMb } from "../../packages/bench/src/recommend.ts";

/**
 * CPU time of one verification as `npm run bench` measured it (one core taken as one Lambda
 * vCPU), per algorithm at a known work: the figures docs/decisions.md records. Work scales
 * linearly within an algorithm (`estimateCost`), so these predict any credential's time.
 */
const measuredCpu: Record<PasswordCredential["algorithm"], { ms: number; work: number }> = {
  // scrypt N 2^17 r 8 p 16: ~9.3 s on Lambda at 1024 MB, i.e. ~5.4 s of one vCPU.
  scrypt: { ms: 9300 * (1024 / fullVcpuMb), work: 2 ** 17 * 8 * 16 },
  "firebase-scrypt": { ms: 9300 * (1024 / fullVcpuMb), work: 2 ** 17 * 8 * 16 },
  // argon2id 128 MiB t 10: ~4.5 s at 1024 MB.
  argon2: { ms: 4500 * (1024 / fullVcpuMb), work: 128 * 1024 * 10 },
  // bcrypt 14: ~2.6 s at 1024 MB.
  bcrypt: { ms: 2600 * (1024 / fullVcpuMb), work: 2 ** 14 },
  // PBKDF2-SHA512 2,000,000 iterations, one block: ~0.9 s of one core (the slowest digest).
  pbkdf2: { ms: 915, work: 2_000_000 },
  "salted-digest": { ms: 1, work: 1 },
};

describe("password verification inside the migration trigger's budget", () => {
  const { memoryMb } = migrationTriggerDefaults();
  const share = Math.min(1, memoryMb / fullVcpuMb);
  // Half the trigger's own deadline: the table calls, a cold start and a slower vCPU fit in the rest.
  const allowedMs = lifecycleConfig.timeouts.budgetMs / 2;

  it("runs the migration trigger on a full vCPU", () => {
    expect(memoryMb).toBeGreaterThanOrEqual(fullVcpuMb);
  });

  it.each(costliestCredentials())("fits the costliest %s the cost limits accept", (_name, credential) => {
    const { algorithm, work } = estimateCost(credential);
    const reference = measuredCpu[algorithm];
    const predictedMs = (reference.ms * work) / reference.work / share;
    expect(predictedMs).toBeLessThanOrEqual(allowedMs);
  });
});
