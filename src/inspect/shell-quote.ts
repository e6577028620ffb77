/**
 * One word for a POSIX shell, whatever it holds: inside single quotes nothing is special, and a
 * single quote itself is written as `'\''` (close, escaped quote, reopen).
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
