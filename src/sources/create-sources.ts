import type { Config } from "../config/load-config.ts";
import { createCapturiSource } from "./capturi/capturi-source.ts";
import { createCredoSource } from "./credo/credo-source.ts";
import type { Source } from "./source.ts";

/** Every provider this service receives from. Adding a provider is one folder and one line here. */
export function createSources(config: Pick<Config, "capturi" | "credo">): Source[] {
  return [createCapturiSource(config.capturi), createCredoSource(config.credo)] as Source[];
}
