export type { WebhookHandlerOptions } from "./handler.ts";
export { createWebhookHandler } from "./handler.ts";
export type { ApplyOutcome, PgPool, SqlClient, SqlDatabase } from "./sync.ts";
export { applyEvent, applyEvents, createSchema, pgPoolDatabase, schemaSql } from "./sync.ts";
