import { beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error.ts";
import { createCliProgram } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";

describe("runCli", () => {
  let out: string[];
  let err: string[];
  const output = {
    out: (line: string) => out.push(line),
    err: (line: string) => err.push(line),
  };
  /** A one-command program whose action does `act`. */
  const run = (argv: string[], act: () => void | Promise<void> = () => {}) =>
    runCli(argv, output, () => {
      const program = createCliProgram("demo", output);
      program.command("go").action(act);
      return program;
    });

  beforeEach(() => {
    out = [];
    err = [];
  });

  it("resolves with 0 when the action succeeds, and prints help to out", async () => {
    expect(await run(["go"])).toBe(0);
    expect(await run(["--help"])).toBe(0);
    expect(out.join("\n")).toMatch(/^Usage: demo/);
    expect(err).toEqual([]);
  });

  it("leaves usage errors to commander: its message, the help, its exit code", async () => {
    expect(await run(["went"])).toBe(1);
    expect(err[0]).toBe("error: unknown command 'went'");
    expect(err.join("\n")).toContain("Usage: demo");
  });

  it("prints a CliError as one line, without a stack, and exits with its code", async () => {
    expect(
      await run(["go"], () => {
        throw new CliError("No delivery 999.");
      }),
    ).toBe(1);
    expect(
      await run(["go"], async () => {
        throw new CliError("Nothing to do.", { exitCode: 3 });
      }),
    ).toBe(3);
    expect(err).toEqual(["error: No delivery 999.", "error: Nothing to do."]);
  });

  it("treats a CliError while building the program like one from an action", async () => {
    const code = await runCli(["go"], output, () => {
      throw new CliError("Invalid environment");
    });
    expect(code).toBe(1);
    expect(err).toEqual(["error: Invalid environment"]);
  });

  it("rejects with any other error, a bug whose stack must not be lost", async () => {
    const bug = new TypeError("Cannot read properties of undefined");
    await expect(
      run(["go"], () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(err).toEqual([]);
  });
});
