# syntax=docker/dockerfile:1
# webhook-inbox as a container: built JavaScript on a slim Node image, production dependencies
# only, as a non-root user, the inbox in the /data volume. docs/operating.md has the details;
# test/operations/production-build.test.ts runs the same steps without Docker.

# --- Production dependencies only (better-sqlite3's native addon is built or fetched here) ------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# A compiler in case no prebuilt better-sqlite3 binary matches this platform; this stage only.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Build: TypeScript to dist/ (with every dependency, dev ones included) ---------------------
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- Runtime ------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# /livez answers without touching the database: a slow disk must not get the container restarted.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/livez`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 and handles SIGTERM itself (no npm in between to swallow it): /readyz turns
# 503, running handlers get SHUTDOWN_DEADLINE_SECONDS, then it exits.
CMD ["node", "--enable-source-maps", "dist/main.js"]
