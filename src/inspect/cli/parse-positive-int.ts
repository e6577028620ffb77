import { InvalidArgumentError } from "commander";

/** Commander's parser for ids, page sizes and day counts; commander prints the message. */
export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}
