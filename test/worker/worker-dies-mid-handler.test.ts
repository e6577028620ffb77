import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { createWorkerHarness, eventually } from "../helpers/create-worker-harness.ts";

let receiver: TestReceiver;
afterEach(() => receiver.close());

it("runs a delivery again once the lease of a worker that died mid-handler expires", async () => {
  receiver = createTestReceiver();
  const res = await receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(JSON.stringify({ event: "ConversationSummaryUpdated", uid: crypto.randomUUID() }));
  const id: number = res.body.id;

  const doomed = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(import.meta.dirname, "fixtures/run-hanging-worker.ts"),
      receiver.databasePath,
      "600",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  doomed.stdout.on("data", (chunk) => {
    output += chunk;
  });
  await eventually(() => output.includes("handler started"));
  doomed.kill("SIGKILL");
  await once(doomed, "exit");

  let runs = 0;
  const survivor = createWorkerHarness({
    databasePath: receiver.databasePath,
    handlers: { capturi: { ConversationSummaryUpdated: () => void runs++ } },
    worker: { id: "survivor" },
  });
  survivor.worker.start();
  const status = () =>
    (
      receiver.db.prepare("SELECT status FROM deliveries WHERE id = ?").get(id) as {
        status: string;
      }
    ).status;
  await eventually(() => status() === "done");
  await survivor.worker.stop(1_000);
  survivor.close();

  expect(runs).toBe(1);
  const attempts = receiver.db
    .prepare("SELECT worker, outcome FROM attempts WHERE delivery_id = ? ORDER BY number")
    .all(id);
  expect(attempts).toEqual([
    { worker: "doomed", outcome: "abandoned" },
    { worker: "survivor", outcome: "succeeded" },
  ]);
});
