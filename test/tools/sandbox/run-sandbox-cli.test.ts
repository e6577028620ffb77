import { mkdtempSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "../../helpers/run-script.ts";

describe("npm run sandbox", () => {
  it("says in one line which port is taken and how to choose another, and exits 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-cli-"));
    try {
      const result = await runScript("sandbox", [
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--state-dir",
        path.join(dir, "sandbox"),
        "--receiver-data-dir",
        dir,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: port ${port} is already in use (is another one running?): stop it, or choose another with --port, e.g. npm run sandbox -- --port ${port + 1}.\n`,
      );
    } finally {
      taken.close();
    }
  });
});
