# One image for every app: the gateway API, the worker and the fake provider.
# docker-compose.yml picks the app per service with `command:`. Node 24 LTS in both stages.
# CI has no Docker engine: tools/docker-steps.mjs runs these steps with Node 24 and its npm
# (install, build, prune, then the CMD from the runtime's files), and tools/dockerfile.spec.ts
# checks their shape.

# --- build: install from the lockfile, compile the apps (SWC, the apps' Nx build targets),
# then drop the dev dependencies
FROM node:24-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true
# Manifests first, so source edits do not invalidate the dependency layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# better-sqlite3 (the embedded file store) downloads its prebuilt addon during `npm ci`; on a
# platform without one it compiles, which needs python3, make and g++ in this stage.
RUN npx nx run-many -t build --projects=tag:type:app --skip-nx-cache && npm prune --omit=dev --no-audit --no-fund && mkdir -p data

# --- runtime: compiled output and production dependencies only, as a non-root user
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded store's directory (keys and usage without DATABASE_URL): the one folder the
# process may write. Mount a volume here (`-v gateway-data:/app/data`) to keep it.
COPY --from=build --chown=node:node /app/data ./data
# The node image ships an unprivileged "node" user (uid 1000); the files stay root-owned
# so the process cannot rewrite its own code.
USER node
EXPOSE 8080
CMD ["node", "--max-old-space-size=512", "dist/apps/gateway-api/src/main.js"]
