/**
 * One line for a port that cannot be listened on (taken, or privileged), naming the port and how
 * to choose another (`howToChooseAnother`, e.g. "choose another with PORT, e.g. PORT=3001 npm
 * start"); undefined for any other error.
 */
export function describeListenError(
  error: unknown,
  port: number,
  howToChooseAnother: string,
): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") {
    return `port ${port} is already in use (is another one running?): stop it, or ${howToChooseAnother}.`;
  }
  if (code === "EACCES") {
    return `port ${port} needs privileges this user lacks: ${howToChooseAnother}.`;
  }
  return undefined;
}
