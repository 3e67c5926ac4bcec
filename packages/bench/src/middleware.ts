import type {
  DeserializeMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from "@smithy/types";

/** Any AWS SDK v3 client (or DynamoDBDocumentClient, which shares its client's stack). */
export interface InstrumentableClient<I extends object = object, O extends MetadataBearer = MetadataBearer> {
  middlewareStack: MiddlewareStack<I, O>;
}

export type Service = "dynamodb" | "ses" | "cognito";

const readCommands = new Set(["GetItemCommand", "QueryCommand", "ScanCommand", "BatchGetItemCommand"]);

/** Commands that accept `ReturnConsumedCapacity`. */
const capacityCommands = new Set([
  "GetItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchWriteItemCommand",
  "BatchGetItemCommand",
  "TransactWriteItemsCommand",
  "TransactGetItemsCommand",
]);

interface ConsumedCapacityEntry {
  CapacityUnits?: number;
}

/**
 * Counts every HTTP attempt an SDK client makes (retries included), by service and command,
 * and the DynamoDB capacity units the calls consumed as DynamoDB reports them.
 */
export class RoundTripCounter {
  private readonly attempts = new Map<string, number>();
  readCapacity = 0;
  writeCapacity = 0;

  record(service: Service, command: string): void {
    const key = `${service}:${command.replace(/Command$/, "")}`;
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
  }

  addCapacity(command: string, units: number): void {
    if (readCommands.has(command)) this.readCapacity += units;
    else this.writeCapacity += units;
  }

  /** `{ "dynamodb:GetItem": 3, ... }`, sorted by key. */
  byCommand(): Record<string, number> {
    return Object.fromEntries([...this.attempts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(service?: Service): number {
    let sum = 0;
    for (const [key, count] of this.attempts) if (!service || key.startsWith(`${service}:`)) sum += count;
    return sum;
  }

  count(service: Service, command: string): number {
    return this.attempts.get(`${service}:${command}`) ?? 0;
  }

  reset(): void {
    this.attempts.clear();
    this.readCapacity = 0;
    this.writeCapacity = 0;
  }
}

function commandOf(context: HandlerExecutionContext): string {
  return context.commandName ?? "UnknownCommand";
}

/**
 * Adds round-trip counting to a client. The counter sits in the deserialize step, inside the
 * SDK's retry loop, so each attempt is one count. For DynamoDB it also asks for (and adds up)
 * `ConsumedCapacity`, which changes nothing but the response's size.
 */
export function countRoundTrips<I extends object, O extends MetadataBearer>(
  client: InstrumentableClient<I, O>,
  service: Service,
  counter: RoundTripCounter,
): void {
  const perAttempt: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    counter.record(service, commandOf(context));
    return next(args);
  };
  client.middlewareStack.add(perAttempt, {
    step: "deserialize",
    priority: "low",
    name: "benchRoundTripCounter",
  });
  if (service !== "dynamodb") return;
  const capacity: InitializeMiddleware<I, O> = (next, context) => async (args) => {
    const command = commandOf(context);
    if (!capacityCommands.has(command)) return next(args);
    const input = args.input as { ReturnConsumedCapacity?: string };
    input.ReturnConsumedCapacity ??= "TOTAL";
    try {
      const result = await next(args);
      counter.addCapacity(command, capacityUnits(result.output));
      return result;
    } catch (error) {
      // A failed conditional write still consumes capacity; DynamoDB reports it on the error.
      counter.addCapacity(command, capacityUnits(error));
      throw error;
    }
  };
  client.middlewareStack.add(capacity, { step: "initialize", priority: "high", name: "benchCapacity" });
}

/** Sums `ConsumedCapacity` (an object, or an array for transactions and batches). */
export function capacityUnits(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: ConsumedCapacityEntry | ConsumedCapacityEntry[] } | null)
    ?.ConsumedCapacity;
  if (!consumed) return 0;
  const entries = Array.isArray(consumed) ? consumed : [consumed];
  return entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}
