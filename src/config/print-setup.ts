import type { DevSecrets } from "./dev-secrets.ts";
import type { Config } from "./load-config.ts";

/**
 * The human part of start-up: where to point each provider, written to stderr beside the JSON
 * logs. Only development secrets that were generated here are shown; configured ones never are.
 */
export function printSetup(config: Config, port: number, generated: Partial<DevSecrets>): void {
  const base = `http://localhost:${port}`;
  const tokenHeader = config.capturi.tokenHeader;
  const lines = [
    "",
    `  Capturi   ${base}/webhooks/capturi   (POST, PUT or PATCH)`,
    config.capturi.auth === "none"
      ? "            no authentication (CAPTURI_AUTH=none)"
      : `            header ${tokenHeader}: ${tokenHeader === "authorization" ? "Bearer " : ""}${generated.capturiToken ?? "<one of CAPTURI_TOKENS>"}`,
    `  Credo AI  ${base}/webhooks/credo     (POST, signed by Svix)`,
    config.credo.auth === "none"
      ? "            signatures not verified (CREDO_AUTH=none)"
      : `            signing secret ${generated.credoWebhookSecret ?? "<one of CREDO_WEBHOOK_SECRETS>"}`,
  ];
  if (generated.capturiToken || generated.credoWebhookSecret) {
    lines.push(
      "",
      `  Development secrets were generated once and are kept in ${config.dataDir}/dev-secrets.json.`,
      "  Set CAPTURI_TOKENS and CREDO_WEBHOOK_SECRETS for anything real (NODE_ENV=production requires them).",
    );
  }
  process.stderr.write(`${lines.join("\n")}\n\n`);
}
