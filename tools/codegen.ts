// Generates TypeScript types from every OpenAPI document in openapi/ into src/generated/.
//
//   npm run codegen          write src/generated/<spec-name>.ts for every spec
//   npm run codegen:check    exit 1 if any generated file is stale, missing or orphaned
//
// Options: --spec-dir <dir> (default openapi), --out-dir <dir> (default src/generated).
import { processOutput } from "../src/cli/process-output.ts";
import { runCodegenCli } from "./codegen/run-codegen-cli.ts";

process.exitCode = await runCodegenCli(process.argv.slice(2), processOutput());
