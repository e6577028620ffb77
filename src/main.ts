import { handlers, sources } from "./handlers/index.ts";
import { runReceiver } from "./run-receiver.ts";

await runReceiver({ sources, handlers });
