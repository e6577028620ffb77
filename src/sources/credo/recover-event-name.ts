import { CREDO_EVENT_TYPES, type CredoEventType } from "./credo-event.ts";

/** The `event_type_prefix` / `event_type_suffix` of the subscription, as set in Credo AI. */
export interface EventNameAffixes {
  /** Defaults to Credo AI's `CredoAI`; may contain dots, or be empty. */
  prefix?: string;
  /** Defaults to Credo AI's `v1`; may contain dots, or be empty. */
  suffix?: string;
}

const KNOWN_EVENT_NAMES: ReadonlySet<string> = new Set(CREDO_EVENT_TYPES);

function isKnown(name: string): name is CredoEventType {
  return KNOWN_EVENT_NAMES.has(name);
}

/**
 * Finds the event name in `type` (`<prefix>.<event>[.<suffix>]`), falling back to `subject`.
 * Credo AI lets every subscription set its own prefix and suffix, so routing on the exact `type`
 * would break the day a customer changes them; an unknown name is null, never a guess.
 */
export function recoverEventName(
  type: string,
  subject: string | null | undefined,
  options: EventNameAffixes = {},
): CredoEventType | null {
  return fromAffixes(type, options) ?? fromSegments(type) ?? fromSubject(subject);
}

function fromAffixes(type: string, { prefix = "CredoAI", suffix = "v1" }: EventNameAffixes) {
  let name = type;
  if (prefix !== "" && name.startsWith(`${prefix}.`)) name = name.slice(prefix.length + 1);
  if (suffix !== "" && name.endsWith(`.${suffix}`)) name = name.slice(0, -(suffix.length + 1));
  return isKnown(name) ? name : null;
}

// Event names contain no dots, so any one segment can be the name whatever surrounds it:
// `acme.prod.use_case_icon_updated`, `CredoAI.use_case_review_comment.v2.beta`.
function fromSegments(text: string): CredoEventType | null {
  return text.split(".").find(isKnown) ?? null;
}

// The subject is inconsistent: sometimes the event name, sometimes without `use_case_`.
function fromSubject(subject: string | null | undefined): CredoEventType | null {
  if (subject == null || subject === "") return null;
  const name = fromSegments(subject);
  if (name !== null) return name;
  const withPrefix = `use_case_${subject}`;
  return isKnown(withPrefix) ? withPrefix : null;
}
