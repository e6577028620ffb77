import type { z } from "zod";
import type { HandlerContext } from "./handler-context.ts";
import type { Source } from "./source.ts";

/** For each event type of a source: the event its handler receives, and the handler's context. */
export type EventMap = Record<string, { event: unknown; context: HandlerContext }>;

/**
 * Everything the kit needs to know about one provider, in the provider's own folder: adding a
 * provider is writing one of these and listing it in `src/handlers/index.ts`. Generic code
 * (configuration, development secrets, the start-up banner, the inspect page, the worker) loops
 * over the definitions and never names a provider.
 */
export interface SourceDefinition<
  Name extends string = string,
  // biome-ignore lint/suspicious/noExplicitAny: each definition has its own settings type.
  Settings = any,
  Events extends EventMap = EventMap,
> {
  /** The path segment after `/webhooks/` and the `source` column of the inbox. */
  readonly name: Name;
  /** Event names as its events carry them after parsing; handlers are keyed by these. */
  readonly eventTypes: readonly (keyof Events & string)[];
  /**
   * Its own variables, read from the one environment by `loadConfig` (an object schema keyed by
   * variable name, so that a message names the variable to fix).
   */
  readonly settings: z.ZodType<Settings>;
  /** The secrets these settings lack and development may generate (production refuses to). */
  developmentSecrets?(settings: Settings): DevelopmentSecret<Settings>[];
  /** The start-up banner's lines for this source, and warnings for what weakens it. */
  describe(settings: Settings, setup: SetupContext): SourceDescription;
  /**
   * The secret values in these settings (tokens, signing secrets and their decoded forms): headers
   * that contain one are redacted whatever their name, before anything is stored or logged.
   */
  secretValues?(settings: Settings): string[];
  /** The configured behaviour: authentication, parsing, and what it adds to handler contexts. */
  configure(settings: Settings): Omit<Source, "name" | "eventTypes" | "secretValues">;
}

/** Any definition, whatever its settings and events (`keyof Events` makes the plain default too narrow). */
// biome-ignore lint/suspicious/noExplicitAny: the widest definition type, for lists of them.
export type AnySourceDefinition = SourceDefinition<string, any, any>;

/** A secret that development generates once and keeps in `<DATA_DIR>/dev-secrets.json`. */
export interface DevelopmentSecret<Settings> {
  /** Its key in `dev-secrets.json`, which the sender and sandbox read too. */
  key: string;
  /** What to set instead, named in production's refusal, e.g. `CAPTURI_TOKENS (or CAPTURI_AUTH=none)`. */
  variable: string;
  generate(): string;
  /** The settings with the secret filled in. */
  apply(settings: Settings, value: string): Settings;
}

export interface SetupContext {
  /** Where this process listens, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** Development secrets generated or reused at this start, by key: shown so that a sender can copy them. */
  generated: Readonly<Record<string, string>>;
}

export interface SourceDescription {
  /** The provider's name for people, e.g. `Credo AI`. */
  label: string;
  /** After the URL in the banner, e.g. `POST, signed by Svix`. */
  route: string;
  /** Lines under the URL: the header or secret to configure. Configured secrets are never shown. */
  details: string[];
  /** For the JSON start-up log, never a secret, e.g. `Standard Webhooks, 2 secret(s), ±300 s`. */
  authSummary: string;
  /** Logged as warnings at every start, e.g. that authentication is switched off. */
  warnings: string[];
}

/** The handler map of a set of source definitions: `{ [source]: { [eventType]: handler } }`. */
export type HandlersFor<Definitions extends readonly AnySourceDefinition[]> = {
  [D in Definitions[number] as D["name"]]?: HandlersOf<D>;
};

/** One function per event type of one source, each typed by its event and context. */
export type HandlersOf<D> =
  // biome-ignore lint/suspicious/noExplicitAny: matches any settings type.
  D extends SourceDefinition<string, any, infer Events>
    ? {
        [K in keyof Events]?: (
          event: Events[K]["event"],
          ctx: Events[K]["context"],
        ) => Promise<void> | void;
      }
    : never;
