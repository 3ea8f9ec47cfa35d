# syntax=docker/dockerfile:1
# The Sessions API and its console in one image (issue 14; docs/operations.md "Containers").
#   docker build -t sessions .
#   docker run -e DATABASE_URL=… -e DATABASE_MIGRATION_URL=… -e JWT_ACCESS_SECRET=… -e JWT_REFRESH_SECRET=… sessions migrate
#   docker run -p 3000:3000 -e DATABASE_URL=… -e JWT_ACCESS_SECRET=… -e JWT_REFRESH_SECRET=… sessions
# Stages: `build` (every dependency, nx build), `prod-deps` (production dependencies only, on
# the runtime's base so native binaries match its libc), `runtime` (slim, non-root, no npm cache).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# README: npm 11 (the lockfile's client); the base image ships npm 10.
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
RUN npx nx run-many -t build -p api console --outputStyle=static

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
# No devDependencies: no nx, webpack, jest, Angular CLI or test tools in the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/tmp/sessions \
    REQUIRE_EXPLICIT_CONFIG=true \
    SECURE_COOKIES=true
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=prod-deps --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /src/dist/apps/api ./dist/apps/api
COPY --from=build --chown=root:root /src/dist/apps/console ./dist/apps/console
# The code belongs to root and is read-only to the process; uid 1000 is the image's `node`
# user, given as a number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Liveness only: the database's state is readiness's business (an orchestrator must not
# restart replicas because PostgreSQL is down). No curl in the slim image: Node's fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself (main.ts drains, then exits 0).
ENTRYPOINT ["node", "dist/apps/api/main.js"]
CMD []
