import type { Source } from "./source.ts";
import type { AnySourceDefinition, SourceDefinition } from "./source-definition.ts";

/** Each source's settings, by source name, as its own schema read them from the environment. */
export type SourceSettings = Readonly<Record<string, unknown>>;

/** The definitions, configured with their settings: what the receiver and the worker use. */
export function configureSources(
  definitions: readonly AnySourceDefinition[],
  settings: SourceSettings,
): Source[] {
  return definitions.map((definition) => {
    const own = settingsOf(settings, definition);
    return {
      name: definition.name,
      eventTypes: definition.eventTypes,
      secretValues: definition.secretValues?.(own) ?? [],
      ...definition.configure(own),
    };
  });
}

/** One source's settings, typed by its definition. */
export function settingsOf<Settings>(
  settings: SourceSettings,
  definition: Pick<SourceDefinition<string, Settings>, "name" | "settings">,
): Settings {
  if (!(definition.name in settings)) {
    throw new Error(`No settings for source ${definition.name}: was it passed to loadConfig?`);
  }
  return settings[definition.name] as Settings;
}
