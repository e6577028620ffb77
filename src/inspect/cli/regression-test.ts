import path from "node:path";
import type { DeliveryFixture } from "./export-fixture.ts";

/** Where the printed test goes, beside test/fixtures/: `test/exported/<fixture name>.test.ts`. */
export function regressionTestPath(fixtureFile: string): string {
  return `test/exported/${path.basename(fixtureFile, ".json")}.test.ts`;
}

/**
 * A complete test file that sends the fixture again through the real receiver, to be saved as
 * `testFile`; both paths are relative to the repository root. It runs as printed.
 */
export function regressionTest(
  fixtureFile: string,
  testFile: string,
  fixture: DeliveryFixture,
): string {
  const fromTest = (target: string) => {
    const relative = path.posix.relative(path.posix.dirname(toPosix(testFile)), toPosix(target));
    return relative.startsWith(".") ? relative : `./${relative}`;
  };
  const isCredo = fixture.source === "credo";
  const imports = [
    `import { afterEach, expect, it } from "vitest";`,
    fitLine(
      `import delivery from "${fromTest(fixtureFile)}" with { type: "json" };`,
      `import delivery from "${fromTest(fixtureFile)}" with {\n  type: "json",\n};`,
    ),
    isCredo
      ? `import { createTestReceiver, type TestReceiver } from "${fromTest("test/helpers/create-test-receiver.ts")}";`
      : `import {\n  createTestReceiver,\n  TEST_CAPTURI_TOKEN,\n  type TestReceiver,\n} from "${fromTest("test/helpers/create-test-receiver.ts")}";`,
    ...(isCredo ? [`import { signCredo } from "${fromTest("test/helpers/sign-credo.ts")}";`] : []),
  ];
  const method = isCredo ? "post" : fixture.method.toLowerCase();
  const headers = isCredo
    ? "signCredo(body)"
    : `{ "content-type": "application/json", authorization: \`Bearer \${TEST_CAPTURI_TOKEN}\` }`;
  const send = fitLine(
    `  const res = await receiver.request.${method}("/webhooks/${fixture.source}").set(${headers}).send(body);`,
    `  const res = await receiver.request
    .${method}("/webhooks/${fixture.source}")
    .set(${headers})
    .send(body);`,
  );
  return `${imports.join("\n")}

let receiver: TestReceiver;
afterEach(() => receiver.close());

it(${JSON.stringify(`accepts ${fixture.source} ${fixture.eventType ?? "(no event type)"} as it arrived`)}, async () => {
  receiver = createTestReceiver();
  const body = JSON.stringify(delivery.body);
${send}
  expect(res.status).toBe(200);
  // Then what the fix should change, e.g. expect(res.body.status).toBe("pending");
});`;
}

/** `line`, or `broken` where the formatter (Biome, 100 columns) would break it. */
function fitLine(line: string, broken: string): string {
  return line.length <= 100 ? line : broken;
}

function toPosix(file: string): string {
  return file.split(path.sep).join(path.posix.sep);
}
