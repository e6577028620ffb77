/**
 * The URL as it may be logged or printed: the password (in the authority or as a `password`
 * query parameter) becomes `***`. Anything that does not parse as a URL is not shown at all.
 */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(a DATABASE_URL that is not a valid URL)";
  }
  if (parsed.password) parsed.password = "***";
  for (const name of [...parsed.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(name)) parsed.searchParams.set(name, "***");
  }
  return parsed.toString();
}
