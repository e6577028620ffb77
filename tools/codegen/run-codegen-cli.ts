import path from "node:path";
import { CliError } from "../../src/cli/cli-error.ts";
import { type CliOutput, createCliProgram } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { checkGenerated } from "./check-generated.ts";
import { writeGenerated } from "./write-generated.ts";

interface CodegenOptions {
  check?: boolean;
  specDir: string;
  outDir: string;
}

/**
 * `npm run codegen` writes src/generated/<spec-name>.ts for every spec in openapi/;
 * `npm run codegen:check` (`--check`) resolves with 1 if any of them is stale, missing or orphaned.
 */
export async function runCodegenCli(argv: readonly string[], output: CliOutput): Promise<number> {
  let exitCode = 0;
  const cliExitCode = await runCli(argv, output, () =>
    createCliProgram("codegen", output)
      .description(
        "Generates src/generated/<spec-name>.ts from every OpenAPI document in openapi/ (openapi-typescript).",
      )
      .configureHelp({
        commandUsage: () => "npm run codegen -- [--check] [--spec-dir <dir>] [--out-dir <dir>]",
      })
      .option(
        "--check",
        "exit 1 if a generated file is stale, missing or orphaned (nothing is written)",
      )
      .option("--spec-dir <dir>", "where the specs are", "openapi")
      .option("--out-dir <dir>", "where the types go", path.join("src", "generated"))
      .helpOption("-h, --help", "show this help")
      .action(async (options: CodegenOptions) => {
        exitCode = await generate(options, output);
      }),
  );
  return cliExitCode === 0 ? exitCode : cliExitCode;
}

async function generate({ check, specDir, outDir }: CodegenOptions, output: CliOutput) {
  try {
    if (check) return await checkGenerated(specDir, outDir, output);
    await writeGenerated(specDir, outDir, output);
    return 0;
  } catch (error) {
    // A YAML or OpenAPI error already names the file and line; its stack would only bury that.
    throw new CliError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
