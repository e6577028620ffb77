import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";

const KNOWN: ReadonlySet<string> = new Set(CREDO_EVENT_TYPES);

/**
 * One warning per event name this kit does not know. Credo AI's API takes any name and adds new
 * ones without notice, so an unknown name is subscribed anyway: the receiver stores its
 * deliveries as `unhandled` until a handler exists. A near miss of a known name is pointed out.
 */
export function unknownEventTypeWarnings(names: readonly string[]): string[] {
  return names
    .filter((name) => !KNOWN.has(name))
    .map((name) => {
      const near = CREDO_EVENT_TYPES.find(
        (known) => known.startsWith(name) || name.startsWith(known),
      );
      const hint = near ? ` Did you mean ${near}?` : "";
      return `warning: ${name} is not one of the ${KNOWN.size} Credo AI event types this kit knows; subscribing anyway (its deliveries are stored as unhandled until a handler exists).${hint}`;
    });
}
