import {
  auth0CustomCredential,
  CredentialError,
  checkCost,
  decoyCredential,
  defaultCostLimits,
  estimateCost,
  firebaseCredential,
  type PasswordCredential,
  parsePasswordHash,
  readCredential,
  readFirebaseHashConfig,
  verifyPassword,
} from "@cognito-lifecycle/core/passwords";
import { describe, expect, it } from "vitest";

/**
 * Every vector below was made by the vendor's own algorithm or a reference implementation,
 * never by the code under test: the source is named on each. "Python" vectors were produced
 * with CPython 3.11 `hashlib`/`crypt` (OpenSSL, libxcrypt), independent of node:crypto's callers
 * and of bcryptjs/hash-wasm.
 */
const vectors: { name: string; encoded: string; password: string }[] = [
  // Openwall crypt_blowfish wrapper.c test vectors.
  {
    name: "bcrypt $2a$ (Openwall)",
    encoded: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
    password: "U*U",
  },
  {
    name: "bcrypt $2a$ over 72 bytes is truncated (Openwall)",
    encoded: "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
    password:
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
  },
  // The password_verify() example in the PHP manual.
  {
    name: "bcrypt $2y$ (PHP manual)",
    encoded: "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq",
    password: "rasmuslerdorf",
  },
  // Python crypt (libxcrypt).
  {
    name: "bcrypt $2b$ (libxcrypt)",
    encoded: "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
    password: "correct horse battery staple",
  },
  // phc-winner-argon2 src/test.c.
  {
    name: "argon2id (reference test.c)",
    encoded: "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
    password: "password",
  },
  {
    name: "argon2id p=2 (reference test.c)",
    encoded: "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
    password: "password",
  },
  {
    name: "argon2i (reference test.c)",
    encoded: "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8",
    password: "password",
  },
  // Django tests/auth_tests/test_hashers.py.
  {
    name: "Django argon2$argon2i$ (Django tests)",
    encoded: "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
    password: "secret",
  },
  {
    name: "Django pbkdf2_sha256 (Django tests)",
    encoded: "pbkdf2_sha256$20000$seasalt$oBSd886ysm3AqYun62DOdin8YcfbU1z9cksZSuLP9r0=",
    password: "lètmein",
  },
  // Django's BCryptSHA256PasswordHasher: bcrypt(hex(sha256(password))), made with Python hashlib + crypt.
  {
    name: "Django bcrypt_sha256 (Python)",
    encoded: "bcrypt_sha256$$2b$05$0123456789abcdefghijkeIlYx9fjT8C7oYhXDNyIc4k/S6eJDFF.",
    password: "lètmein",
  },
  // Auth0 PBKDF2 PHC strings converted from a Gigya export (OneLogin's migration notes).
  {
    name: "pbkdf2-sha1 PHC (Gigya/Auth0)",
    encoded: "$pbkdf2-sha1$i=10000,l=20$wJuJqLoUFsdXa8k3sFhRlA$XMGVWTbeKf4Xd+CGiuEZde8x7QA",
    password: "Test@123",
  },
  {
    name: "pbkdf2-sha256 PHC (Gigya/Auth0)",
    encoded: "$pbkdf2-sha256$i=10000,l=32$wJuJqLoUFsdXa8k3sFhRlA$2waKCbPhZzL+RjWMQqvA1jpb+j56jTAXcNmRD9UTekU",
    password: "Test@123",
  },
  {
    name: "pbkdf2-sha512 PHC, two blocks (Python)",
    encoded:
      "$pbkdf2-sha512$i=1000,l=64$c2FsdHlzYWx0eXNhbHQhIQ$hgdv5W18Sugu/itU42Qh4YmPoE9hHb4ORpAC7P6renxcmCVfsWtLIInB9I/D/QWgkNwhh3dXZonBdT5tnbusVw",
    password: "Tr0ub4dour&3",
  },
  // RFC 7914 section 12 (password "password", salt "NaCl", N=1024, r=8, p=16) in passlib's format.
  {
    name: "scrypt (RFC 7914 vector)",
    encoded:
      "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA",
    password: "password",
  },
];

describe("verifyPassword against vendor vectors", () => {
  it.each(vectors)(
    "$name: the right password verifies, a wrong one does not",
    async ({ encoded, password }) => {
      const credential = parsePasswordHash(encoded);
      expect(await verifyPassword(credential, password)).toBe(true);
      // Both differ within bcrypt's first 72 bytes.
      expect(await verifyPassword(credential, `x${password}`)).toBe(false);
      expect(await verifyPassword(credential, password.slice(1))).toBe(false);
    },
  );

  it("treats $2a$, $2b$ and $2y$ alike for the same salt and password", async () => {
    const twoY = parsePasswordHash("$2y$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG");
    expect(await verifyPassword(twoY, "correct horse battery staple")).toBe(true);
  });

  it("has a decoy credential that a well-formed bcrypt string backs and no password matches", async () => {
    expect(readCredential(JSON.parse(JSON.stringify(decoyCredential)))).toEqual(decoyCredential);
    expect(estimateCost(decoyCredential).workFactors).toEqual({ cost: 10 });
    expect(await verifyPassword(decoyCredential, "password")).toBe(false);
  });

  it("refuses an empty password without hashing", async () => {
    expect(await verifyPassword(parsePasswordHash(vectors[0]!.encoded), "")).toBe(false);
  });
});

describe("Firebase modified scrypt", () => {
  // The vector in the README of github.com/firebase/scrypt.
  const hashConfig = {
    base64_signer_key:
      "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
    base64_salt_separator: "Bw==",
    rounds: 8,
    mem_cost: 14,
  };
  const user = {
    salt: "42xEC+ixf3L2lw==",
    passwordHash: "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
  };

  it("verifies the README vector with the project's parameters", async () => {
    const credential = firebaseCredential(user, readFirebaseHashConfig(hashConfig));
    expect(await verifyPassword(credential, "user1password")).toBe(true);
    expect(await verifyPassword(credential, "user1passwordx")).toBe(false);
  });

  it("fails with another project's signer key", async () => {
    const other = readFirebaseHashConfig({
      ...hashConfig,
      base64_signer_key: Buffer.alloc(64, 1).toString("base64"),
    });
    expect(await verifyPassword(firebaseCredential(user, other), "user1password")).toBe(false);
  });

  it("accepts camelCase config and refuses an incomplete one", () => {
    expect(
      readFirebaseHashConfig({ signerKey: "AA==", saltSeparator: "Bw==", rounds: 8, memCost: 14 }).memCost,
    ).toBe(14);
    expect(() => readFirebaseHashConfig({ rounds: 8 })).toThrow(CredentialError);
  });
});

describe("Auth0 custom_password_hash", () => {
  // Digests made with Python hashlib from the documented salt/position/encoding rules.
  it("verifies sha256 with a utf8 salt prefix and a hex hash", async () => {
    const credential = auth0CustomCredential({
      algorithm: "sha256",
      hash: { value: "7c84931e4e9e8b53c9c913bed93b83b48741e701654f23cd7b732c1eccaf7c1e", encoding: "hex" },
      salt: { value: "pepper-salt", encoding: "utf8", position: "prefix" },
    });
    expect(await verifyPassword(credential, "hunter2 ünïcode")).toBe(true);
    expect(await verifyPassword(credential, "hunter2 unicode")).toBe(false);
  });

  it("verifies sha512 with a hex salt suffix and a base64 hash", async () => {
    const credential = auth0CustomCredential({
      algorithm: "sha512",
      hash: {
        value: "p8+ogvhU4/WFtowNRB0cTnS1fzsA8IBQ9TC1KEMYOGJ1ugmbHBfPUPwkqLMiuJtP2bMAApWf7+Dtw6mRldpF/Q==",
        encoding: "base64",
      },
      salt: { value: "0a0b0c0d0e0f", encoding: "hex", position: "suffix" },
    });
    expect(await verifyPassword(credential, "hunter2")).toBe(true);
    expect(await verifyPassword(credential, "hunter3")).toBe(false);
  });

  it("verifies sha256 over a UTF-16LE password", async () => {
    const credential = auth0CustomCredential({
      algorithm: "sha256",
      hash: { value: "Y4MP1805oHsHvyJoWngshZJVYwxfRh4KSDtORAlWcoE=", encoding: "base64" },
      salt: { value: "NaCl", position: "suffix" },
      password: { encoding: "utf16le" },
    });
    expect(await verifyPassword(credential, "hunter2")).toBe(true);
  });

  it("never lets a latin1 password match through characters latin1 cannot hold", async () => {
    // sha256("\u0001") with no salt: "ā" (U+0101) would encode to the same byte.
    const credential = auth0CustomCredential({
      algorithm: "sha256",
      hash: { value: "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a", encoding: "hex" },
      password: { encoding: "latin1" },
    });
    expect(await verifyPassword(credential, "\u0001")).toBe(true);
    expect(await verifyPassword(credential, "ā")).toBe(false);
  });

  it("reads bcrypt, argon2 and pbkdf2 strings, defaulting pbkdf2 to 100,000 iterations", async () => {
    const bcrypt = auth0CustomCredential({ algorithm: "bcrypt", hash: { value: vectors[0]!.encoded } });
    expect(await verifyPassword(bcrypt, "U*U")).toBe(true);
    const argon2 = auth0CustomCredential({
      algorithm: "argon2",
      hash: { value: vectors[4]!.encoded, encoding: "utf8" },
    });
    expect(await verifyPassword(argon2, "password")).toBe(true);
    // Python hashlib.pbkdf2_hmac("sha256", ..., 100000, 64): no `i` in the string.
    const pbkdf2 = auth0CustomCredential({
      algorithm: "pbkdf2",
      hash: {
        value:
          "$pbkdf2-sha256$l=64$c2FsdHlzYWx0eXNhbHQhIQ$FcYDYgJqYfIRdbF138ht8kRlAvTd/6nGXj092BuGRXg2BuHLjPpHCrIb/rMHUTCk395l38fuxD2WruTMnyc1ug",
      },
    });
    expect(pbkdf2).toMatchObject({ algorithm: "pbkdf2", iterations: 100_000 });
    expect(await verifyPassword(pbkdf2, "Tr0ub4dour&3")).toBe(true);
  });

  it.each([
    ["md5", "unsafe"],
    ["sha1", "unsafe"],
    ["ldap", "unsafe"],
    ["hmac", "unsupported"],
    ["whirlpool", "unsupported"],
  ])("refuses %s as %s", (algorithm, problem) => {
    expect(() =>
      auth0CustomCredential({ algorithm, hash: { value: "00".repeat(32), encoding: "hex" } }),
    ).toThrow(expect.objectContaining({ problem }));
  });

  it("refuses a salt on bcrypt and a utf8-encoded sha256 hash", () => {
    expect(() =>
      auth0CustomCredential({
        algorithm: "bcrypt",
        hash: { value: vectors[0]!.encoded },
        salt: { value: "x", position: "prefix" },
      }),
    ).toThrow(CredentialError);
    expect(() =>
      auth0CustomCredential({ algorithm: "sha256", hash: { value: "abc", encoding: "utf8" } }),
    ).toThrow(CredentialError);
  });
});

describe("formats we refuse", () => {
  it.each([
    ["md5-crypt", "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0", "unsafe"],
    [
      "sha512-crypt",
      "$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21",
      "unsafe",
    ],
    ["Django md5", "md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573", "unsafe"],
    [
      "bcrypt $2x$ (crypt_blowfish's buggy mode)",
      "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e",
      "unsafe",
    ],
    ["Django sha1", "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "unsafe"],
    [
      "argon2d",
      "$argon2d$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "unsupported",
    ],
    [
      "argon2 version 16",
      "$argon2i$m=256,t=2,p=1$c29tZXNhbHQ$/U3YPXYsSb3q9XxHvc0MLxur+GP960kN9j7emXX8zwY",
      "unsupported",
    ],
    ["plain text", "hunter2", "unsupported"],
    ["empty", "", "unsupported"],
    ["truncated bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0Xou", "malformed"],
    ["bcrypt cost 03", "$2b$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "malformed"],
    [
      "argon2 with a duplicate parameter",
      "$argon2id$v=19$m=256,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "malformed",
    ],
    ["argon2 with a short hash", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQ", "unsafe"],
    [
      "pbkdf2 with a wrong l",
      "$pbkdf2-sha256$i=10000,l=64$wJuJqLoUFsdXa8k3sFhRlA$2waKCbPhZzL+RjWMQqvA1jpb+j56jTAXcNmRD9UTekU",
      "malformed",
    ],
    [
      "pbkdf2 with md5",
      "$pbkdf2-md5$i=10000$wJuJqLoUFsdXa8k3sFhRlA$2waKCbPhZzL+RjWMQqvA1jpb+j56jTAXcNmRD9UTekU",
      "unsupported",
    ],
    [
      "Django pbkdf2 with a negative count",
      "pbkdf2_sha256$-1$seasalt$oBSd886ysm3AqYun62DOdin8YcfbU1z9cksZSuLP9r0=",
      "malformed",
    ],
    ["Django pbkdf2 with a non-base64 hash", "pbkdf2_sha256$20000$seasalt$oBSd886ysm3A!!!", "malformed"],
  ])("%s", (_name, encoded, problem) => {
    expect(() => parsePasswordHash(encoded)).toThrow(
      expect.objectContaining({ name: "CredentialError", problem }),
    );
  });

  it("never repeats the hash in the error message", () => {
    const hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0Xou";
    try {
      parsePasswordHash(hash);
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("CCCCCCCC");
    }
  });
});

describe("cost limits", () => {
  it.each([
    ["bcrypt cost 15", "$2b$15$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    [
      "argon2 with 4 GiB",
      "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
    ],
    [
      "argon2 with 50 passes",
      "$argon2id$v=19$m=256,t=50,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
    ],
    [
      "scrypt with 1 GiB",
      "$scrypt$ln=20,r=8,p=1$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA",
    ],
    [
      "pbkdf2 with 10 million rounds",
      "$pbkdf2-sha256$i=10000000,l=32$wJuJqLoUFsdXa8k3sFhRlA$2waKCbPhZzL+RjWMQqvA1jpb+j56jTAXcNmRD9UTekU",
    ],
  ])("refuses %s before hashing", async (_name, encoded) => {
    const credential = parsePasswordHash(encoded);
    await expect(verifyPassword(credential, "password")).rejects.toMatchObject({ problem: "too-costly" });
  });

  const base64 = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");
  it.each<[string, PasswordCredential, RegExp]>([
    [
      "scrypt N 2^17 r 8 p 16 (~5 s of one vCPU)",
      {
        algorithm: "scrypt",
        cost: 2 ** 17,
        blockSize: 8,
        parallelism: 16,
        salt: base64(16),
        hash: base64(64),
      },
      /scrypt N·r·p 16777216 is over the limit of 4194304/,
    ],
    [
      "argon2id 128 MiB with 10 passes",
      {
        algorithm: "argon2",
        variant: "argon2id",
        version: 19,
        memoryKiB: 128 * 1024,
        iterations: 10,
        parallelism: 16,
        salt: base64(16),
        hash: base64(32),
      },
      /argon2 memory x iterations \(m·t KiB\) 1310720 is over the limit of 524288/,
    ],
    [
      "PBKDF2-SHA1 at 2,000,000 iterations with 64 bytes of output (4 blocks)",
      { algorithm: "pbkdf2", digest: "sha1", iterations: 2_000_000, salt: base64(16), hash: base64(64) },
      /pbkdf2 iterations x output blocks 8000000 is over the limit of 2000000/,
    ],
  ])("refuses %s, naming the parameter", async (_name, credential, message) => {
    expect(() => checkCost(credential)).toThrow(message);
    await expect(verifyPassword(credential, "password")).rejects.toMatchObject({ problem: "too-costly" });
  });

  it("refuses a hash longer than 64 bytes: PBKDF2 repeats its iterations per output block", async () => {
    const long = `$pbkdf2-sha256$i=1000,l=4096$wJuJqLoUFsdXa8k3sFhRlA$${Buffer.alloc(4096, 1).toString("base64").replace(/=+$/, "")}`;
    expect(() => parsePasswordHash(long)).toThrow(
      expect.objectContaining({
        problem: "too-costly",
        message: "pbkdf2 hash length 4096 bytes is over the limit of 64",
      }),
    );
    const stored = {
      algorithm: "pbkdf2",
      digest: "sha1",
      iterations: 1000,
      salt: base64(16),
      hash: base64(65),
    };
    expect(() => readCredential(stored)).toThrow(expect.objectContaining({ problem: "too-costly" }));
    await expect(verifyPassword(stored as PasswordCredential, "password")).rejects.toMatchObject({
      problem: "too-costly",
    });
  });

  it("takes stricter limits from the caller", async () => {
    const credential = parsePasswordHash(vectors[4]!.encoded);
    await expect(
      verifyPassword(credential, "password", { ...defaultCostLimits, maxMemoryBytes: 128 * 1024 }),
    ).rejects.toMatchObject({ problem: "too-costly" });
  });

  it("estimates work that scales with each algorithm's factors", () => {
    const bcrypt10 = estimateCost(
      parsePasswordHash("$2b$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    );
    const bcrypt12 = estimateCost(
      parsePasswordHash("$2b$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    );
    expect(bcrypt12.work / bcrypt10.work).toBe(4);
    expect(bcrypt12.workFactors).toEqual({ cost: 12 });
    const argon2 = estimateCost(parsePasswordHash(vectors[4]!.encoded));
    expect(argon2).toMatchObject({ memoryBytes: 256 * 1024, workFactors: { m: 256, t: 2, p: 1 } });
    const scrypt = estimateCost(parsePasswordHash(vectors[13]!.encoded));
    expect(scrypt).toMatchObject({ memoryBytes: 128 * 1024 * 8, workFactors: { N: 1024, r: 8, p: 16 } });
    const pbkdf2 = estimateCost(parsePasswordHash(vectors[12]!.encoded));
    expect(pbkdf2.workFactors).toEqual({ iterations: 1000, blocks: 1 });
    expect(() => checkCost(parsePasswordHash(vectors[12]!.encoded))).not.toThrow();
  });
});

describe("stored credentials", () => {
  it("round-trip through JSON and still verify", async () => {
    const stored: unknown = JSON.parse(JSON.stringify(parsePasswordHash(vectors[8]!.encoded)));
    expect(await verifyPassword(readCredential(stored), "lètmein")).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ["an unknown algorithm", { algorithm: "md5", hash: "x" }, "unsupported"],
    ["a missing field", { algorithm: "pbkdf2", digest: "sha256", iterations: 1, salt: "AA==" }, "malformed"],
    [
      "a zero-length hash",
      { algorithm: "pbkdf2", digest: "sha256", iterations: 1, salt: "AA==", hash: "" },
      "malformed",
    ],
    [
      "a 4-byte hash that any password would match by chance",
      { algorithm: "pbkdf2", digest: "sha256", iterations: 1, salt: "AA==", hash: "AAAAAA==" },
      "unsafe",
    ],
    [
      "scrypt with N not a power of two",
      {
        algorithm: "scrypt",
        cost: 1000,
        blockSize: 8,
        parallelism: 1,
        salt: "AA==",
        hash: Buffer.alloc(32).toString("base64"),
      },
      "malformed",
    ],
    ["not an object", null, "unsupported"],
  ])("refuses %s", (_name, value, problem) => {
    expect(() => readCredential(value)).toThrow(expect.objectContaining({ problem }));
  });

  it("verifyPassword re-checks a credential built by hand", async () => {
    const forged = {
      algorithm: "salted-digest",
      digest: "sha256",
      salt: "",
      saltPosition: "prefix",
      passwordEncoding: "utf8",
      hash: "",
    } as PasswordCredential;
    await expect(verifyPassword(forged, "anything")).rejects.toBeInstanceOf(CredentialError);
  });
});
