/**
 * Rewrites every member name to PascalCase, as Capturi's older docs show its bodies. The members
 * named in `dictionaryKeys` hold dictionaries (score uid → score, live summary metadata): their keys
 * are data and keep their casing, while the values inside are still rewritten.
 */
export function toPascalCase(
  value: unknown,
  dictionaryKeys: ReadonlySet<string> = DEFAULT_DICTIONARY_KEYS,
): unknown {
  if (Array.isArray(value)) return value.map((item) => toPascalCase(item, dictionaryKeys));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      capitalise(key),
      dictionaryKeys.has(key) && isRecord(child)
        ? Object.fromEntries(
            Object.entries(child).map(([dataKey, item]) => [
              dataKey,
              toPascalCase(item, dictionaryKeys),
            ]),
          )
        : toPascalCase(child, dictionaryKeys),
    ]),
  );
}

// `scores` is keyed by score uid. A live summary's `metadata` is free-form too: its callers add it.
const DEFAULT_DICTIONARY_KEYS: ReadonlySet<string> = new Set(["scores"]);

function capitalise(key: string): string {
  return key.length === 0 ? key : key[0]?.toUpperCase() + key.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
