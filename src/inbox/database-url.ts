import { redactDatabaseUrl } from "./postgres/redact-database-url.ts";

/** `postgres://` and `postgresql://` select PostgreSQL; nothing else is a database URL here. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Which database the settings name, as it may be printed: a password never appears. */
export function describeDatabase(options: {
  databasePath: string;
  databaseUrl?: string | undefined;
}): string {
  return options.databaseUrl
    ? `postgres ${redactDatabaseUrl(options.databaseUrl)}`
    : `sqlite ${options.databasePath}`;
}
