import { settingsOf } from "../sources/configure-sources.ts";
import type {
  AnySourceDefinition,
  SetupContext,
  SourceDescription,
} from "../sources/source-definition.ts";
import type { Config } from "./load-config.ts";

export interface DescribedSource extends SourceDescription {
  name: string;
  /** Where the provider must send its deliveries. */
  url: string;
}

/** What each source says of itself at start-up: where to point it, how it authenticates, warnings. */
export function describeSources(
  config: Config,
  sources: readonly AnySourceDefinition[],
  setup: SetupContext,
): DescribedSource[] {
  return sources.map((source) => ({
    name: source.name,
    url: `${setup.baseUrl}/webhooks/${source.name}`,
    ...source.describe(settingsOf(config.sources, source), setup),
  }));
}

/**
 * The human part of start-up: where to point each provider, written to stderr beside the JSON
 * logs. Only development secrets that were generated here are shown; configured ones never are.
 */
export function printSetup(
  config: Config,
  described: readonly DescribedSource[],
  generated: SetupContext["generated"],
): void {
  const urlWidth = Math.max(...described.map((source) => source.url.length)) + 2;
  const lines = [""];
  for (const { label, url, route, details } of described) {
    lines.push(`  ${label.padEnd(9)} ${url.padEnd(urlWidth)} ${route}`);
    for (const detail of details) lines.push(`            ${detail}`);
  }
  if (Object.keys(generated).length > 0) {
    lines.push(
      "",
      `  Development secrets were generated once and are kept in ${config.dataDir}/dev-secrets.json.`,
      "  Set real secrets for anything real (NODE_ENV=production requires them).",
    );
  }
  process.stderr.write(`${lines.join("\n")}\n\n`);
}
