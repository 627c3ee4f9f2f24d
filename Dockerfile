# residual-ledger service image. Multi-stage: build with the toolchain better-sqlite3 needs,
# run on a slim image with production dependencies only. Node 22 LTS: the dependencies need >= 22.12
# (package.json engines; nestjs-pino 5.2 among them).
# Not built on the project's own machines (they have no Docker engine); test/docker/dockerfile.spec.ts
# checks what can be checked without one, and docs/operations.md says what was not run.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
# Bound to every interface, the service refuses to start without API_KEYS or API_KEYS_FILE (docs/security.md).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY plans plans
# npm start / npm run rebuild / seed / copy-log first run this: with no src/ here, it builds nothing.
COPY scripts/build-from-source.mjs scripts/sample-network.json scripts/
# The node user writes the log and read models (data/) and what-if reports (reports/, npm run rebuild -- --dry-run).
RUN mkdir -p data reports && chown node:node data reports
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/main.js"]
