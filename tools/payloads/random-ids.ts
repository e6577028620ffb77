import { randomInt, randomUUID } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random base62 string, the alphabet of Credo AI's short ids and Svix's message ids. */
export function randomBase62(length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += BASE62[randomInt(BASE62.length)];
  return text;
}

/** A Credo AI object id: 22 base62 characters, like `7mQ2xR9kLp4TzW8nVb3cHd`. */
export function randomCredoId(): string {
  return randomBase62(22);
}

/** A Svix message id, like `msg_2xJ5fA0rXy3bB1n5lXqkQ9cVd7E`. */
export function randomMessageId(): string {
  return `msg_${randomBase62(27)}`;
}

export function randomUuid(): string {
  return randomUUID();
}

export function pick<T>(items: readonly T[]): T {
  const item = items[randomInt(items.length)];
  if (item === undefined) throw new Error("pick() needs at least one item");
  return item;
}

/** A number in [min, max) rounded to `decimals` places. */
export function randomNumber(min: number, max: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round((min + Math.random() * (max - min)) * factor) / factor;
}
