import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import type { CommandContext } from "./create-command-context.ts";
import { defaultFixturePath, toDeliveryFixture } from "./export-fixture.ts";
import { parsePositiveInt } from "./parse-positive-int.ts";
import { regressionTest, regressionTestPath } from "./regression-test.ts";

/** `events export <id>`: writes a delivery as a test fixture and prints a test that uses it. */
export function addExportCommand(program: Command, context: CommandContext): void {
  program
    .command("export")
    .description(
      "Write a delivery as a test fixture (signatures and credential-like values stripped), and print a test that sends it again.",
    )
    .argument("<id>", "the delivery id", parsePositiveInt)
    .option(
      "--out <file>",
      "where to write it (default test/fixtures/exported/<source>.<event>.<id>.json)",
    )
    .action(async (id: number, options: { out?: string }) => {
      await context.withStore(async (store) => {
        const detail = await store.getDelivery(id);
        if (!detail) throw new CliError(`No delivery ${id}.`);
        const result = toDeliveryFixture(detail.delivery);
        if (!result.ok) throw new CliError(result.error);
        const file = options.out ?? defaultFixturePath(detail.delivery);
        const absolute = path.resolve(context.cwd, file);
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, `${JSON.stringify(result.fixture, null, 2)}\n`);
        // The test's imports are relative to it, so both paths are taken from the repository root.
        const fixtureFile = path.relative(context.cwd, absolute);
        const testFile = regressionTestPath(fixtureFile);
        context.out(`Wrote ${file}`);
        context.out("");
        context.out(
          `A test that sends it again: save this as ${testFile}, then run npx vitest run ${testFile}`,
        );
        context.out("");
        context.out(regressionTest(fixtureFile, testFile, result.fixture));
      });
    });
}
