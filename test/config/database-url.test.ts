import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.ts";
import { describeDatabase } from "../../src/inbox/database-url.ts";
import { runReceiverExpectingFailure } from "../helpers/start-receiver-process.ts";

const SECRET = "s3cr3t-pa55word";

describe("DATABASE_URL", () => {
  it("is optional: unset keeps the SQLite file", () => {
    const loaded = loadConfig({});
    expect(loaded.ok && loaded.value.databaseUrl).toBeUndefined();
    expect(loaded.ok && describeDatabase(loaded.value)).toBe("sqlite data/inbox.db");
  });

  it("accepts postgres:// and postgresql://", () => {
    for (const url of [
      `postgres://app:${SECRET}@db:5432/inbox`,
      "postgresql://db/inbox?sslmode=require",
    ]) {
      const loaded = loadConfig({ DATABASE_URL: url });
      expect(loaded.ok && loaded.value.databaseUrl).toBe(url);
    }
  });

  it("refuses another scheme and names the variable, without echoing the value", () => {
    const loaded = loadConfig({ DATABASE_URL: `mysql://app:${SECRET}@db/inbox` });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error).toContain("DATABASE_URL");
    expect(loaded.error).not.toContain(SECRET);
  });

  it("is described without its password, in the authority or the query", () => {
    const described = describeDatabase({
      databasePath: "unused",
      databaseUrl: `postgres://app:${SECRET}@db:5432/inbox?password=${SECRET}&sslmode=require`,
    });
    expect(described).not.toContain(SECRET);
    expect(described).toBe(
      "postgres postgres://app:***@db:5432/inbox?password=***&sslmode=require",
    );
  });

  it("stops start-up with one line when the database cannot be reached, password redacted", async () => {
    const { code, stderr } = await runReceiverExpectingFailure({
      DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:9/inbox`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain("cannot be opened: connect ECONNREFUSED");
    expect(stderr).toContain("postgres://app:***@127.0.0.1:9/inbox");
    expect(stderr).not.toContain(SECRET);
  });
});
