#!/usr/bin/env node
// `npx cognito-lifecycle ...`: the admin CLI (packages/admin/src/cli.ts), run through tsx.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
