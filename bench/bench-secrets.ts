/** Secrets shared by the bench's load generator and its servers; they guard nothing. */
export const BENCH_CREDO_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const BENCH_CAPTURI_TOKEN = "bench-token-7d1f0c2b9e8a4b6c";
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;
