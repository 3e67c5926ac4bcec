import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lifecycleEventJsonSchema } from "../src/lifecycle-events.ts";

/** Where consumers find the JSON Schema of lifecycle events; a test fails when it is stale. */
export const eventsSchemaPath = fileURLToPath(new URL("../../../docs/events.schema.json", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(eventsSchemaPath, `${JSON.stringify(lifecycleEventJsonSchema(), null, 2)}\n`);
  // Formatted as `npm run lint` expects it.
  execFileSync("npx", ["biome", "format", "--write", eventsSchemaPath], { stdio: "inherit" });
  console.log(`wrote ${eventsSchemaPath}`);
}
