/** One step of the schema. Never edit a migration that has shipped: add the next number. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
