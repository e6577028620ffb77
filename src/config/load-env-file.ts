/**
 * Imported first by the entry points (`main.ts`, `events.ts`) for its effect: `.env` in the
 * working directory joins the environment before any other module reads it, the Node way
 * (`process.loadEnvFile`, no dependency). Variables already set (shell, container, platform)
 * win over the file. Without a `.env` nothing happens and nothing is printed, unlike Node's
 * `--env-file-if-exists`, which says so on every start.
 * https://nodejs.org/api/process.html#processloadenvfilepath
 */
import { existsSync } from "node:fs";

const ENV_FILE = ".env";

if (process.env.ENV_FILE !== "none" && existsSync(process.env.ENV_FILE ?? ENV_FILE)) {
  process.loadEnvFile(process.env.ENV_FILE ?? ENV_FILE);
}
