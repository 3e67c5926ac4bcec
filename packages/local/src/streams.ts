import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { runAs } from "@cognito-lifecycle/aws";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { localCredentials } from "./credentials.ts";
import type { RunningService } from "./dynamodb.ts";

export interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** Answers nothing, or a `DynamoDBBatchResponse` (anything else counts as success, as on Lambda). */
export type StreamHandler = (event: DynamoDBStreamEvent, context: LambdaContext) => Promise<unknown>;

/** One event source mapping: a function fed from the table's stream. */
export interface StreamConsumer {
  /** The function's name: its IAM principal (`runAs`) and its name in the log. */
  functionName: string;
  /** The handler, or the path of a module whose `handler` export it is. */
  handler: StreamHandler | string;
  /** Records per invocation at most (Lambda's default for DynamoDB: 100). */
  batchSize?: number;
  /** `FunctionResponseTypes: ["ReportBatchItemFailures"]` (default on): partial batch responses count. */
  reportBatchItemFailures?: boolean;
  /** How long the handler may run, for `getRemainingTimeInMillis` (default 60 s). */
  timeoutMs?: number;
}

export interface BatchReport {
  functionName: string;
  shardId: string;
  records: number;
  outcome: "ok" | "partial" | "error";
  /** Where the next attempt starts (partial or error). */
  retryFrom?: string;
  errorMessage?: string;
  ms: number;
}

export interface StreamPollerOptions {
  dynamodbEndpoint: string;
  tableName: string;
  region: string;
  account: string;
  consumers: StreamConsumer[];
  /** Pause between polls of an idle stream (Lambda polls about four times a second). */
  pollIntervalMs?: number;
  /** Where each consumer's position in each shard is kept, so a restart resumes, not replays. */
  checkpointFile?: (functionName: string) => string;
  onBatch?: (report: BatchReport) => void;
}

/** What Lambda's event source mapping keeps per shard: its position and whether it is finished. */
interface ShardState {
  parentShardId: string | undefined;
  /** The last sequence number handled successfully. */
  checkpoint: string | undefined;
  iterator: string | undefined;
  /** Closed and read to its end: its children may start. */
  finished: boolean;
}

type Checkpoints = Record<string, { checkpoint?: string; finished?: boolean }>;

function readCheckpoints(file: string | undefined): Checkpoints {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Checkpoints;
  } catch {
    return {};
  }
}

function writeCheckpoints(file: string | undefined, shards: Map<string, ShardState>): void {
  if (!file) return;
  const saved: Checkpoints = {};
  for (const [id, state] of shards) {
    saved[id] = { ...(state.checkpoint ? { checkpoint: state.checkpoint } : {}), finished: state.finished };
  }
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(saved));
  renameSync(temporary, file);
}

/** Lambda's JSON for an attribute value: binary as base64, everything else as the stream has it. */
function lambdaValue(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString("base64")) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  const { $unknown: _unknown, ...rest } = value as AttributeValue & { $unknown?: unknown };
  return rest;
}

function lambdaImage(image: Record<string, AttributeValue> | undefined) {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([key, value]) => [key, lambdaValue(value)]));
}

/** A stream record as Lambda's event source mapping puts it into a `DynamoDBStreamEvent`. */
export function lambdaRecord(
  record: StreamRecord,
  eventSourceARN: string,
  awsRegion: string,
): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const created = change.ApproximateCreationDateTime;
  const dynamodb: Record<string, unknown> = {
    ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
    Keys: lambdaImage(change.Keys),
    ...(change.NewImage ? { NewImage: lambdaImage(change.NewImage) } : {}),
    ...(change.OldImage ? { OldImage: lambdaImage(change.OldImage) } : {}),
    SequenceNumber: change.SequenceNumber,
    SizeBytes: change.SizeBytes,
    StreamViewType: change.StreamViewType,
  };
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion,
    dynamodb,
    eventSourceARN,
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  } as DynamoDBRecord;
}

/**
 * Where a batch resumes after the handler answered, with Lambda's ReportBatchItemFailures rules:
 * no failures is success; otherwise the lowest failed sequence number, and an identifier that is
 * empty or names no record of the batch fails the whole batch (returns the first record).
 */
export function retryPoint(
  batch: DynamoDBRecord[],
  response: unknown,
  reportBatchItemFailures: boolean,
): string | undefined {
  if (!reportBatchItemFailures || response === null || typeof response !== "object") return undefined;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  const sequence = batch.map((record) => record.dynamodb?.SequenceNumber ?? "");
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === "string" && id !== "" ? sequence.indexOf(id) : -1;
    if (index === -1) return sequence[0];
    lowest = Math.min(lowest, index);
  }
  return sequence[lowest];
}

async function loadHandler(handler: StreamHandler | string): Promise<StreamHandler> {
  if (typeof handler === "function") return handler;
  const module = (await import(pathToFileURL(handler).href)) as { handler?: unknown };
  if (typeof module.handler !== "function") throw new Error(`${handler} does not export a handler`);
  return module.handler as StreamHandler;
}

/** DynamoDB Local names its streams in its own region; the event carries the stack's, as on AWS. */
function streamArnFor(localArn: string, region: string, account: string): string {
  return localArn.replace(/^arn:aws:dynamodb:[^:]*:[^:]*:/, `arn:aws:dynamodb:${region}:${account}:`);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** One consumer's event source mapping over every shard of the stream. */
class ShardReader {
  private readonly shards = new Map<string, ShardState>();

  constructor(
    private readonly consumer: Required<Omit<StreamConsumer, "handler">> & { handler: StreamHandler },
    private readonly streams: DynamoDBStreamsClient,
    private readonly stream: { localArn: string; arn: string; region: string },
    private readonly checkpointFile: string | undefined,
    private readonly onBatch: (report: BatchReport) => void,
  ) {
    for (const [id, saved] of Object.entries(readCheckpoints(checkpointFile))) {
      this.shards.set(id, {
        parentShardId: undefined,
        checkpoint: saved.checkpoint,
        iterator: undefined,
        finished: saved.finished ?? false,
      });
    }
  }

  /** Brings the shard list up to date; shards no longer listed (trimmed) are forgotten. */
  track(listed: Shard[]): void {
    const ids = new Set(listed.map((shard) => shard.ShardId ?? ""));
    for (const id of this.shards.keys()) if (!ids.has(id)) this.shards.delete(id);
    for (const shard of listed) {
      const id = shard.ShardId ?? "";
      const state = this.shards.get(id);
      if (state) state.parentShardId = shard.ParentShardId;
      else
        this.shards.set(id, {
          parentShardId: shard.ParentShardId,
          checkpoint: undefined,
          iterator: undefined,
          finished: false,
        });
    }
  }

  /** Shards to read now: unfinished ones whose parent is finished or gone (per-key order). */
  private ready(): [string, ShardState][] {
    return [...this.shards].filter(([, state]) => {
      if (state.finished) return false;
      const parent = state.parentShardId ? this.shards.get(state.parentShardId) : undefined;
      return !parent || parent.finished;
    });
  }

  /** Reads every ready shard once; true when a batch was full (more is probably waiting). */
  async poll(signal: AbortSignal): Promise<boolean> {
    let busy = false;
    for (const [shardId, state] of this.ready()) {
      if (signal.aborted) break;
      busy = (await this.readShard(shardId, state)) || busy;
    }
    return busy;
  }

  private async iteratorFor(shardId: string, state: ShardState, at?: string): Promise<string | undefined> {
    const position: { ShardIteratorType: ShardIteratorType; SequenceNumber?: string } = at
      ? { ShardIteratorType: "AT_SEQUENCE_NUMBER", SequenceNumber: at }
      : state.checkpoint
        ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: state.checkpoint }
        : { ShardIteratorType: "TRIM_HORIZON" };
    const answer = await this.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.stream.localArn, ShardId: shardId, ...position }),
    );
    return answer.ShardIterator;
  }

  private async readShard(shardId: string, state: ShardState): Promise<boolean> {
    let records: StreamRecord[];
    let next: string | undefined;
    try {
      state.iterator ??= await this.iteratorFor(shardId, state);
      const answer = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.consumer.batchSize }),
      );
      records = answer.Records ?? [];
      next = answer.NextShardIterator;
    } catch (error) {
      // An expired iterator is re-created from the checkpoint; trimmed data starts at the horizon.
      if (error instanceof TrimmedDataAccessException) state.checkpoint = undefined;
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        state.iterator = undefined;
        return true;
      }
      throw error;
    }
    if (records.length === 0) {
      state.iterator = next;
      if (!next) this.finish(state);
      return false;
    }
    const batch = records.map((record) => lambdaRecord(record, this.stream.arn, this.stream.region));
    const retryFrom = await this.invoke(shardId, batch);
    if (retryFrom === undefined) {
      state.checkpoint = batch.at(-1)?.dynamodb?.SequenceNumber ?? state.checkpoint;
      state.iterator = next;
      if (!next) this.finish(state);
      else writeCheckpoints(this.checkpointFile, this.shards);
      return records.length >= this.consumer.batchSize;
    }
    // Everything before the first failure is done; the next batch starts at the failure.
    const failedAt = batch.findIndex((record) => record.dynamodb?.SequenceNumber === retryFrom);
    if (failedAt > 0) state.checkpoint = batch[failedAt - 1]?.dynamodb?.SequenceNumber;
    writeCheckpoints(this.checkpointFile, this.shards);
    state.iterator = await this.iteratorFor(shardId, state, retryFrom);
    return false;
  }

  private finish(state: ShardState): void {
    state.finished = true;
    state.iterator = undefined;
    writeCheckpoints(this.checkpointFile, this.shards);
  }

  /** Runs the handler as its function; the sequence number to retry from, or undefined when done. */
  private async invoke(shardId: string, batch: DynamoDBRecord[]): Promise<string | undefined> {
    const startedAt = Date.now();
    const { functionName, timeoutMs } = this.consumer;
    const context: LambdaContext = {
      functionName,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, startedAt + timeoutMs - Date.now()),
    };
    const report = { functionName, shardId, records: batch.length };
    try {
      const response = await runAs(functionName, () => this.consumer.handler({ Records: batch }, context));
      const retryFrom = retryPoint(batch, response, this.consumer.reportBatchItemFailures);
      this.onBatch({
        ...report,
        outcome: retryFrom === undefined ? "ok" : "partial",
        ...(retryFrom === undefined ? {} : { retryFrom }),
        ms: Date.now() - startedAt,
      });
      return retryFrom;
    } catch (error) {
      const retryFrom = batch[0]?.dynamodb?.SequenceNumber;
      this.onBatch({
        ...report,
        outcome: "error",
        ...(retryFrom ? { retryFrom } : {}),
        errorMessage: error instanceof Error ? error.message : String(error),
        ms: Date.now() - startedAt,
      });
      return retryFrom;
    }
  }
}

async function describeShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
    );
    shards.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

/** The pause between polls of an idle stream, unless `pollIntervalMs` says otherwise. */
export const defaultPollIntervalMs = 250;

/**
 * Lambda's DynamoDB event source mapping, locally: polls the table's stream in DynamoDB Local
 * (every shard, children after their parents) and invokes each consumer with a
 * `DynamoDBStreamEvent` batch as Lambda builds it. A thrown error retries the whole batch; a
 * partial batch response retries from the lowest failed sequence number (no bisecting, no
 * retry limit: the batch is retried until it succeeds, as with Lambda's defaults).
 * `stop()` ends polling after the batch in flight.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<RunningService> {
  const clientOptions = {
    endpoint: options.dynamodbEndpoint,
    region: options.region,
    credentials: localCredentials,
  };
  const dynamo = new DynamoDBClient(clientOptions);
  const streams = new DynamoDBStreamsClient(clientOptions);
  const described = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const localArn = described.Table?.LatestStreamArn;
  if (!localArn) {
    streams.destroy();
    throw new Error(`Table ${options.tableName} has no stream enabled`);
  }
  const stream = {
    localArn,
    arn: streamArnFor(localArn, options.region, options.account),
    region: options.region,
  };
  const readers = await Promise.all(
    options.consumers.map(
      async (consumer) =>
        new ShardReader(
          {
            functionName: consumer.functionName,
            handler: await loadHandler(consumer.handler),
            batchSize: consumer.batchSize ?? 100,
            reportBatchItemFailures: consumer.reportBatchItemFailures ?? true,
            timeoutMs: consumer.timeoutMs ?? 60_000,
          },
          streams,
          stream,
          options.checkpointFile?.(consumer.functionName),
          options.onBatch ?? (() => {}),
        ),
    ),
  );
  const interval = options.pollIntervalMs ?? defaultPollIntervalMs;
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let busy = false;
      try {
        const shards = await describeShards(streams, localArn);
        for (const reader of readers) {
          reader.track(shards);
          busy = (await reader.poll(stopping.signal)) || busy;
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        options.onBatch?.({
          functionName: "(stream poller)",
          shardId: "",
          records: 0,
          outcome: "error",
          errorMessage: error instanceof Error ? error.message : String(error),
          ms: 0,
        });
      }
      if (!busy) await sleep(interval, stopping.signal);
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    endpoint: stream.arn,
    port: 0,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await loop;
        streams.destroy();
      })();
      return stopped;
    },
  };
}
