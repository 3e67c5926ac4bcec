#!/usr/bin/env node
// `npx cognito-lifecycle ...` in the workspace: the app CLI (packages/local/src/app-cli.ts) from
// sources through tsx. The published package's bin is the built dist/app-cli.js.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/app-cli.ts");
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
