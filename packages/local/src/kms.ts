import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { localRegion } from "./credentials.ts";
import type { RunningService } from "./dynamodb.ts";
import { readBody, sendJson } from "./http.ts";

/** The account id local ARNs carry. */
const localAccount = "000000000000";

/** The ARN of the local key with `keyId`. */
export function localKeyArn(keyId: string): string {
  return `arn:aws:kms:${localRegion}:${localAccount}:key/${keyId}`;
}
const formatVersion = 1;
const ivBytes = 12;
const tagBytes = 16;

interface LocalKey {
  arn: string;
  id: string;
  material: Buffer;
}

export interface LocalKms extends RunningService {
  /** The one symmetric key: what Cognito's `KMSKeyID` and our decryptor name. */
  keyArn: string;
  keyAlias: string;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The encryption context as AES-GCM additional data: sorted keys, so the same context in any
 * order decrypts, and any change to it does not.
 */
function contextAad(context: unknown): Buffer {
  if (context === undefined || context === null) return Buffer.alloc(0);
  if (typeof context !== "object" || Array.isArray(context)) {
    throw new KmsError("ValidationException", "EncryptionContext must be a map of strings");
  }
  const entries = Object.entries(context as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.some(([, value]) => typeof value !== "string")) {
    throw new KmsError("ValidationException", "EncryptionContext values must be strings");
  }
  return Buffer.from(JSON.stringify(entries), "utf8");
}

function blob(value: unknown, field: string): Buffer {
  if (typeof value !== "string" || value === "") {
    throw new KmsError("ValidationException", `${field} is required`);
  }
  return Buffer.from(value, "base64");
}

/** KMS keeps a key's id in its ciphertext; here: version, 36-byte key id, IV, tag, data. */
function seal(key: LocalKey, plaintext: Buffer, context: unknown): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key.material, iv);
  cipher.setAAD(contextAad(context));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([
    Buffer.from([formatVersion]),
    Buffer.from(key.id, "ascii"),
    iv,
    cipher.getAuthTag(),
    data,
  ]);
}

function open(
  keys: Map<string, LocalKey>,
  ciphertext: Buffer,
  context: unknown,
): { key: LocalKey; plaintext: Buffer } {
  const invalid = new KmsError("InvalidCiphertextException", "The ciphertext is invalid");
  const header = 1 + 36 + ivBytes + tagBytes;
  if (ciphertext.length < header || ciphertext[0] !== formatVersion) throw invalid;
  const key = keys.get(ciphertext.subarray(1, 37).toString("ascii"));
  if (!key) throw invalid;
  const iv = ciphertext.subarray(37, 37 + ivBytes);
  const tag = ciphertext.subarray(37 + ivBytes, header);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.material, iv);
    decipher.setAAD(contextAad(context));
    decipher.setAuthTag(tag);
    return {
      key,
      plaintext: Buffer.concat([decipher.update(ciphertext.subarray(header)), decipher.final()]),
    };
  } catch (error) {
    if (error instanceof KmsError) throw error;
    // A changed byte, another context: KMS says only that the ciphertext is invalid.
    throw invalid;
  }
}

type Operations = Record<string, (input: Record<string, unknown>) => unknown>;

/** The TrentService operations the Encryption SDK uses, over one key and its alias. */
function kmsOperations(key: LocalKey, keyAlias: string): Operations {
  const keys = new Map([[key.id, key]]);
  const resolve = (keyId: unknown): LocalKey => {
    const wanted = String(keyId ?? "");
    const aliasArn = `arn:aws:kms:${localRegion}:${localAccount}:${keyAlias}`;
    if ([key.id, key.arn, keyAlias, aliasArn].includes(wanted)) return key;
    throw new KmsError("NotFoundException", `Key '${wanted}' does not exist`);
  };
  return {
    GenerateDataKey: (input) => {
      const target = resolve(input.KeyId);
      const bytes =
        input.NumberOfBytes ??
        (input.KeySpec === "AES_128" ? 16 : input.KeySpec === "AES_256" ? 32 : undefined);
      if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
        throw new KmsError("ValidationException", "NumberOfBytes (1-1024) or KeySpec is required");
      }
      const plaintext = randomBytes(bytes);
      return {
        KeyId: target.arn,
        Plaintext: plaintext.toString("base64"),
        CiphertextBlob: seal(target, plaintext, input.EncryptionContext).toString("base64"),
      };
    },
    Encrypt: (input) => {
      const target = resolve(input.KeyId);
      return {
        KeyId: target.arn,
        CiphertextBlob: seal(target, blob(input.Plaintext, "Plaintext"), input.EncryptionContext).toString(
          "base64",
        ),
        EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      };
    },
    Decrypt: (input) => {
      const opened = open(keys, blob(input.CiphertextBlob, "CiphertextBlob"), input.EncryptionContext);
      if (input.KeyId !== undefined && resolve(input.KeyId) !== opened.key) {
        throw new KmsError(
          "IncorrectKeyException",
          "The key ID in the request does not identify the key that encrypted the ciphertext",
        );
      }
      return {
        KeyId: opened.key.arn,
        Plaintext: opened.plaintext.toString("base64"),
        EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      };
    },
    DescribeKey: (input) => {
      const target = resolve(input.KeyId);
      return {
        KeyMetadata: {
          KeyId: target.id,
          Arn: target.arn,
          AWSAccountId: localAccount,
          Enabled: true,
          KeyState: "Enabled",
          KeySpec: "SYMMETRIC_DEFAULT",
          KeyUsage: "ENCRYPT_DECRYPT",
          EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
        },
      };
    },
  };
}

/**
 * A KMS-compatible endpoint (awsJson1_1, `X-Amz-Target: TrentService.<Op>`) with one symmetric
 * key and its alias, for the AWS Encryption SDK on both sides of the custom sender path:
 * cognito-local encrypts codes with it and our decryptor decrypts them. `GenerateDataKey`,
 * `Encrypt`, `Decrypt` and `DescribeKey`; the encryption context is bound to each ciphertext as
 * AES-GCM additional data, as KMS binds it. Requests are not authenticated. The key lives in
 * memory: ciphertexts do not survive a restart (codes expire sooner anyway).
 */
export async function startLocalKms(options: {
  port: number;
  alias?: string;
  keyId?: string;
}): Promise<LocalKms> {
  const id = options.keyId ?? randomUUID();
  if (Buffer.byteLength(id, "ascii") !== 36)
    throw new Error("startLocalKms: keyId must be a 36-character key id");
  const key: LocalKey = {
    id,
    arn: localKeyArn(id),
    material: randomBytes(32),
  };
  const keyAlias = options.alias ?? "alias/cognito-lifecycle-senders";
  const operations = kmsOperations(key, keyAlias);
  const server = createServer(async (request, response) => {
    try {
      const operation = /^TrentService\.(\w+)$/.exec(String(request.headers["x-amz-target"] ?? ""))?.[1];
      const run = operation ? operations[operation] : undefined;
      if (request.method !== "POST" || !run) {
        throw new KmsError("UnknownOperationException", `Unsupported operation: ${operation ?? "none"}`);
      }
      const body = await readBody(request);
      if (body === undefined) throw new KmsError("ValidationException", "The request body is too large");
      let input: unknown;
      try {
        input = JSON.parse(body || "{}");
      } catch {
        throw new KmsError("SerializationException", "The request body is not JSON");
      }
      if (typeof input !== "object" || input === null)
        throw new KmsError("SerializationException", "Expected an object");
      answer(response, 200, run(input as Record<string, unknown>));
    } catch (error) {
      const known = error instanceof KmsError;
      answer(response, known ? 400 : 500, {
        __type: known ? error.type : "KMSInternalException",
        message: known ? error.message : "Internal error",
      });
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolveListen());
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    keyArn: key.arn,
    keyAlias,
    stop: () => {
      stopped ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** KMS speaks AWS JSON 1.1 and names every answer with a request id. */
function answer(response: ServerResponse, status: number, body: unknown) {
  sendJson(response, status, body, {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-requestid": randomUUID(),
  });
}
