import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CostLimits,
  defaultCostLimits,
  estimateCost,
  type PasswordCredential,
  parsePasswordHash,
  verifyPassword,
} from "@cognito-lifecycle/core/passwords";
import { repoRoot } from "./cold-start.ts";
import { fullVcpuMb } from "./recommend.ts";
import { median, round } from "./stats.ts";

export interface VerifierCost {
  verifier: string;
  /** The work factors measured: the most `defaultCostLimits` let an imported hash ask for. */
  work_factors: string;
  /** Median CPU time (user + system, every thread of the process) of one verification here. */
  cpu_ms: number;
  wall_ms: number;
  /** cpu_ms stretched by the deployed memory's vCPU share: the estimate for Lambda. */
  lambda_ms: number;
  /** lambda_ms / the 5 s budget. */
  budget_ratio: number;
  fits: boolean;
}

export interface PasswordCostResult {
  memory_mb: number;
  vcpu_share: number;
  budget_ms: number;
  runs: number;
  verifiers: VerifierCost[];
  worst: { verifier: string; lambda_ms: number; budget_ratio: number; fits: boolean };
  /** How CPU time here becomes time on Lambda, with its source. */
  model: string;
}

/**
 * The migration trigger's deployed memory and the triggers' timeout, read from the stack's
 * source: importing stacks/ would bring SST's global types into the bench's typecheck.
 */
export function migrationTriggerDefaults(
  source = readFileSync(join(repoRoot, "packages", "sst", "src", "stacks", "functions.ts"), "utf8"),
) {
  const memory = /export const migrationMemory = "(\d+) MB"/.exec(source)?.[1];
  const timeout = /export const triggerTimeout = "(\d+) seconds"/.exec(source)?.[1];
  if (!memory || !timeout)
    throw new Error(
      "packages/sst/src/stacks/functions.ts no longer states migrationMemory and triggerTimeout",
    );
  return { memoryMb: Number(memory), timeoutMs: Number(timeout) * 1000 };
}
const base64 = (bytes: number) => randomBytes(bytes).toString("base64");
/** A bcrypt string of the given cost with random salt and hash characters (bcrypt's alphabet). */
function bcryptHash(cost: number): string {
  const alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const body = Array.from(randomBytes(53), (byte) => alphabet[byte % 64]).join("");
  // The 22nd salt character carries only 2 bits: bcrypt implementations expect one of ".Oeu".
  return `$2b$${String(cost).padStart(2, "0")}$${body.slice(0, 21)}.${body.slice(22)}`;
}

/**
 * One credential per verifier at the most its limits allow. The password never matches (a wrong
 * password costs what a right one does: every verifier derives the whole key, then compares).
 */
export function costliestCredentials(limits: CostLimits = defaultCostLimits): [string, PasswordCredential][] {
  const memoryKiB = Math.floor(limits.maxMemoryBytes / 1024);
  // scrypt and Firebase's scrypt use 128·N·r bytes: r = 8 (the usual), N the largest power of two.
  const scryptN = 2 ** Math.floor(Math.log2(limits.maxMemoryBytes / (128 * 8)));
  const scryptP = Math.max(
    1,
    Math.min(limits.maxParallelism, Math.floor(limits.scryptMaxWork / (scryptN * 8))),
  );
  const argon2T = Math.max(
    1,
    Math.min(limits.argon2MaxIterations, Math.floor(limits.argon2MaxWork / memoryKiB)),
  );
  const iterations = limits.pbkdf2MaxIterations;
  return [
    ["bcrypt", { algorithm: "bcrypt", hash: bcryptHash(limits.bcryptMaxCost) }],
    [
      "argon2id",
      {
        algorithm: "argon2",
        variant: "argon2id",
        version: 19,
        memoryKiB,
        iterations: argon2T,
        parallelism: limits.maxParallelism,
        salt: base64(16),
        hash: base64(32),
      },
    ],
    [
      "scrypt",
      {
        algorithm: "scrypt",
        cost: scryptN,
        blockSize: 8,
        parallelism: scryptP,
        salt: base64(16),
        hash: base64(64),
      },
    ],
    [
      "Firebase scrypt",
      {
        algorithm: "firebase-scrypt",
        memCost: Math.log2(scryptN),
        rounds: 8,
        saltSeparator: "Bw==",
        signerKey: base64(64),
        salt: base64(16),
        hash: base64(64),
      },
    ],
    // Django's own format, parsed as an import would be.
    [
      "PBKDF2-SHA256 (Django)",
      parsePasswordHash(`pbkdf2_sha256$${iterations}$${randomBytes(9).toString("hex")}$${base64(32)}`),
    ],
    [
      "PBKDF2-SHA512",
      { algorithm: "pbkdf2", digest: "sha512", iterations, salt: base64(16), hash: base64(64) },
    ],
    // Auth0's `l=64` with SHA-256: two blocks, so half the iterations fit the limit.
    [
      "PBKDF2-SHA256, 64 bytes",
      {
        algorithm: "pbkdf2",
        digest: "sha256",
        iterations: iterations / 2,
        salt: base64(16),
        hash: base64(64),
      },
    ],
    ["PBKDF2-SHA1", { algorithm: "pbkdf2", digest: "sha1", iterations, salt: base64(16), hash: base64(20) }],
    [
      "salted SHA-512",
      {
        algorithm: "salted-digest",
        digest: "sha512",
        salt: base64(16),
        saltPosition: "prefix",
        passwordEncoding: "utf8",
        hash: base64(64),
      },
    ],
  ];
}

function describeFactors(credential: PasswordCredential): string {
  const factors = Object.entries(estimateCost(credential).workFactors);
  if (factors.length === 0) return "one digest";
  return factors.map(([name, value]) => `${name} ${value.toLocaleString("en")}`).join(", ");
}

async function timeVerification(credential: PasswordCredential): Promise<{ cpu: number; wall: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (await verifyPassword(credential, "not-the-password-1")) throw new Error("a random hash matched");
  const used = process.cpuUsage(cpuBefore);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - started };
}

/**
 * Each verifier of `@cognito-lifecycle/core/passwords` at the work factors the default cost
 * limits allow, timed `runs` times (CPU time, median), and what that takes on Lambda at the
 * migration trigger's own memory against Cognito's 5 s. Runs in its own process: nothing else spends CPU there meanwhile.
 */
export async function measurePasswordCosts(options: { runs: number }): Promise<PasswordCostResult> {
  const { memoryMb, timeoutMs: budgetMs } = migrationTriggerDefaults();
  const share = Math.min(1, memoryMb / fullVcpuMb);
  const verifiers: VerifierCost[] = [];
  for (const [verifier, credential] of costliestCredentials()) {
    const timings = [];
    for (let run = 0; run < options.runs; run++) timings.push(await timeVerification(credential));
    const cpu = median(timings.map((timing) => timing.cpu));
    const lambdaMs = cpu / share;
    verifiers.push({
      verifier,
      work_factors: describeFactors(credential),
      cpu_ms: round(cpu, 1),
      wall_ms: round(median(timings.map((timing) => timing.wall)), 1),
      lambda_ms: round(lambdaMs, 0),
      budget_ratio: round(lambdaMs / budgetMs),
      fits: lambdaMs < budgetMs,
    });
  }
  const worst = verifiers.reduce((a, b) => (b.lambda_ms > a.lambda_ms ? b : a));
  return {
    memory_mb: memoryMb,
    vcpu_share: round(share, 3),
    budget_ms: budgetMs,
    runs: options.runs,
    verifiers,
    worst: {
      verifier: worst.verifier,
      lambda_ms: worst.lambda_ms,
      budget_ratio: worst.budget_ratio,
      fits: worst.fits,
    },
    model: `Lambda gives a function CPU in proportion to its memory, one full vCPU at ${fullVcpuMb.toLocaleString("en")} MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html: "At 1,769 MB, a function has the equivalent of one vCPU"); one verification uses one thread, so its CPU time here is divided by ${round(share, 3)} (${memoryMb} MB, packages/sst/src/stacks/functions.ts migrationMemory, the migration trigger's own). One core here is taken as one Lambda vCPU.`,
  };
}
