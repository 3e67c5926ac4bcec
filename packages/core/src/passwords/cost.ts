import type { PasswordCredential } from "./credential.ts";
import { CredentialError } from "./errors.ts";

/**
 * Upper bounds on the work one verification may do. A stored hash carries its own work
 * factors, so without these a crafted or careless import (bcrypt cost 20, argon2 with 4 GiB)
 * would make every sign-in attempt for that user exceed Cognito's 5 s budget.
 */
export interface CostLimits {
  /** bcrypt cost, log2 of the rounds. */
  bcryptMaxCost: number;
  /** Memory one verification may allocate: argon2 m KiB, scrypt 128·N·r bytes. */
  maxMemoryBytes: number;
  /** argon2 passes (t). */
  argon2MaxIterations: number;
  /** argon2 memory times passes (KiB·t): its CPU time grows with both. */
  argon2MaxWork: number;
  /** argon2 lanes, scrypt p: both run in one thread here. */
  maxParallelism: number;
  /** scrypt N·r·p: its CPU time grows with all three. */
  scryptMaxWork: number;
  /**
   * PBKDF2 iterations times output blocks (Django 5.2 uses 1,000,000 SHA-256 iterations, one
   * block): a longer output repeats every iteration once per block of the digest's size.
   */
  pbkdf2MaxIterations: number;
}

/**
 * Sized so the costliest credential these accept verifies in about 1.5 s of one vCPU (the
 * migration trigger's memory, packages/sst/src/stacks/functions.ts `migrationMemory`), well
 * inside Cognito's 5 s with the table calls around it: bcrypt 14 ~1.5 s, argon2 128 MiB x 4
 * passes ~1.0 s, scrypt N 2^17 r 8 p 4 ~1.4 s, PBKDF2-SHA512 2,000,000 ~0.9 s
 * (docs/decisions.md, `npm run bench`).
 */
export const defaultCostLimits: CostLimits = {
  bcryptMaxCost: 14,
  maxMemoryBytes: 128 * 1024 * 1024,
  argon2MaxIterations: 10,
  argon2MaxWork: 128 * 1024 * 4,
  maxParallelism: 16,
  scryptMaxWork: 2 ** 17 * 8 * 4,
  pbkdf2MaxIterations: 2_000_000,
};

/**
 * What verifying against `credential` costs. `work` grows linearly with CPU time within one
 * algorithm (bcrypt 2^cost, argon2 m·t·p... in its own units), so a benchmark that measured one
 * credential of an algorithm predicts another as `measuredMs * work / measuredWork`. Work is not
 * comparable across algorithms.
 */
export interface CostEstimate {
  algorithm: PasswordCredential["algorithm"];
  work: number;
  memoryBytes: number;
  /** The parameters as the format names them, for reports. */
  workFactors: Record<string, number>;
}

export function estimateCost(credential: PasswordCredential): CostEstimate {
  switch (credential.algorithm) {
    case "bcrypt": {
      const cost = Number(credential.hash.slice(4, 6));
      return { algorithm: "bcrypt", work: 2 ** cost, memoryBytes: 4168, workFactors: { cost } };
    }
    case "argon2": {
      const { memoryKiB: m, iterations: t, parallelism: p } = credential;
      return { algorithm: "argon2", work: m * t, memoryBytes: m * 1024, workFactors: { m, t, p } };
    }
    case "scrypt":
      return scryptCost("scrypt", credential.cost, credential.blockSize, credential.parallelism);
    case "firebase-scrypt":
      return scryptCost("firebase-scrypt", 2 ** credential.memCost, credential.rounds, 1);
    case "pbkdf2": {
      const blocks = Math.ceil(
        Buffer.from(credential.hash, "base64").length / digestBytes[credential.digest],
      );
      return {
        algorithm: "pbkdf2",
        work: credential.iterations * blocks,
        memoryBytes: 0,
        workFactors: { iterations: credential.iterations, blocks },
      };
    }
    case "salted-digest":
      return { algorithm: "salted-digest", work: 1, memoryBytes: 0, workFactors: {} };
  }
}

const digestBytes = { sha1: 20, sha256: 32, sha512: 64 } as const;

function scryptCost(algorithm: "scrypt" | "firebase-scrypt", n: number, r: number, p: number): CostEstimate {
  return { algorithm, work: n * r * p, memoryBytes: 128 * n * r, workFactors: { N: n, r, p } };
}

/** Throws `CredentialError("too-costly")` naming the first factor over its limit. */
export function checkCost(credential: PasswordCredential, limits: CostLimits = defaultCostLimits): void {
  const { algorithm, memoryBytes, work, workFactors } = estimateCost(credential);
  const over = (what: string, value: number, limit: number) => {
    if (value > limit) {
      throw new CredentialError("too-costly", `${algorithm} ${what} ${value} is over the limit of ${limit}`);
    }
  };
  over("memory (bytes)", memoryBytes, limits.maxMemoryBytes);
  if (algorithm === "bcrypt") over("cost", workFactors.cost ?? 0, limits.bcryptMaxCost);
  if (algorithm === "argon2") {
    over("iterations", workFactors.t ?? 0, limits.argon2MaxIterations);
    over("parallelism", workFactors.p ?? 0, limits.maxParallelism);
    over("memory x iterations (m·t KiB)", work, limits.argon2MaxWork);
  }
  if (algorithm === "scrypt" || algorithm === "firebase-scrypt") {
    over("parallelism", workFactors.p ?? 0, limits.maxParallelism);
    over("N·r·p", work, limits.scryptMaxWork);
  }
  if (algorithm === "pbkdf2") {
    over("iterations", workFactors.iterations ?? 0, limits.pbkdf2MaxIterations);
    over("iterations x output blocks", work, limits.pbkdf2MaxIterations);
  }
}
