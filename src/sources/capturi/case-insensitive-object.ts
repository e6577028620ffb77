import { z } from "zod";

/**
 * `z.looseObject(shape)` that also accepts the keys of `shape` in any casing. Capturi's older docs
 * show PascalCase bodies (`EventUid`, `Entity.SentimentRaw`), the newer ones camelCase, and its own
 * C# sample binds names case-insensitively, so both are real. Each key whose lower-case form matches
 * a shape key is renamed to that shape key before validation; unknown keys are kept as sent, because
 * the model gains fields between API versions.
 *
 * It works on one object level: nested objects use their own `caseInsensitiveObject`, and the keys of
 * records (e.g. `scores`, keyed by score uid) are data and are never renamed.
 */
export function caseInsensitiveObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const shapeKeys = new Set(Object.keys(shape));
  const shapeKeyByLowerCase = new Map([...shapeKeys].map((key) => [key.toLowerCase(), key]));
  return z.preprocess(
    (input) => renameToShapeKeys(input, shapeKeys, shapeKeyByLowerCase),
    z.looseObject(shape),
  );
}

function renameToShapeKeys(
  input: unknown,
  shapeKeys: ReadonlySet<string>,
  shapeKeyByLowerCase: ReadonlyMap<string, string>,
) {
  // Anything but a plain object passes through untouched so that zod reports it as a normal issue.
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  // The common case, a body spelled as the shape is: nothing to rename, so nothing is copied
  // (rebuilding every object of a 100 KiB conversation was a visible share of the receive path).
  if (!needsRenaming(input, shapeKeys, shapeKeyByLowerCase)) return input;
  const entries = Object.entries(input);
  // A key spelled exactly like the shape key wins over a differently cased duplicate.
  const exact = new Set(entries.map(([key]) => key).filter((key) => shapeKeys.has(key)));
  const renamed: [string, unknown][] = [];
  for (const [key, value] of entries) {
    const shapeKey = shapeKeyByLowerCase.get(key.toLowerCase());
    if (shapeKey === undefined || shapeKey === key) renamed.push([key, value]);
    else if (!exact.has(shapeKey)) renamed.push([shapeKey, value]);
  }
  // Object.fromEntries defines own properties, so a `__proto__` key from JSON stays plain data.
  return Object.fromEntries(renamed);
}

/** Whether any key is a shape key in another casing. */
function needsRenaming(
  input: object,
  shapeKeys: ReadonlySet<string>,
  shapeKeyByLowerCase: ReadonlyMap<string, string>,
): boolean {
  for (const key in input) {
    if (!Object.hasOwn(input, key) || shapeKeys.has(key)) continue;
    if (shapeKeyByLowerCase.has(key.toLowerCase())) return true;
  }
  return false;
}
