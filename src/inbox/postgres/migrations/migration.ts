/** One step of the PostgreSQL schema. Never edit a migration that has shipped: add the next number. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}
