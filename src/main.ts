// First, for its effect: `.env` joins the environment before any module below reads it.
import "./config/load-env-file.ts";
import { handlers, sources } from "./handlers/index.ts";
import { runReceiver } from "./run-receiver.ts";

await runReceiver({ sources, handlers });
