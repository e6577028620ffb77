import type { Pool, PoolClient } from "./create-pool.ts";

/**
 * Runs `work` in one transaction on one pooled connection and resolves only after COMMIT has
 * returned, i.e. after the commit is flushed (synchronous_commit = on). A connection whose
 * ROLLBACK fails is broken and is destroyed rather than handed to the next caller.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await transactionOn(client, work, (error) => {
      broken = error;
    });
  } finally {
    client.release(broken);
  }
}

/** The same on a connection the caller holds (e.g. the one that holds an advisory lock). */
export async function transactionOn<T>(
  client: PoolClient,
  work: (client: PoolClient) => Promise<T>,
  onBroken: (error: Error) => void = () => {},
): Promise<T> {
  try {
    // SET LOCAL as well as the pool's SET: it holds behind a transaction-mode PgBouncer too.
    await client.query("BEGIN; SET LOCAL synchronous_commit = on");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(onBroken);
    throw error;
  }
}
