# The dibao orchestrator image: one image, run as `migrate`, `worker` or `api`
# by docker-compose.yml (different command, same build).
#
# Plain Dockerfile syntax (no RUN --mount, no syntax directive) so that both
# BuildKit and the legacy builder used by docker-compose 1.29 can build it.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: production node_modules from the lockfile -------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# tsx is a runtime dependency (the services run TypeScript directly), so
# devDependencies (vitest, biome, typescript, ...) stay out of the image.
# Native parts (@temporalio/core-bridge, @swc/core, esbuild) ship prebuilt
# glibc binaries: no compiler is needed on bookworm-slim.
# `npm ci` first. The committed lockfile currently lacks entries for other
# platforms' optional binaries (@swc/core-darwin-*, @biomejs/cli-win32-*; see
# scripts/install.sh), which makes `npm ci` refuse it; `npm install` with the
# same lockfile then installs the same pinned tree.
RUN (npm ci --omit=dev \
      || { echo "npm ci refused package-lock.json; installing the same lockfile with npm install"; \
           npm install --omit=dev; }) \
    && npm cache clean --force

# --- runtime -----------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    PATH=/app/node_modules/.bin:$PATH \
    HTTP_PORT=3000
# R-A7, R-M9: the printed notices embed Noto Serif CJK from Debian (NOTICE_FONT_DIR).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY --from=deps /app/node_modules ./node_modules
# Sources (filtered by .dockerignore). Owned by root and read-only for the
# service user; tsx keeps its transpile cache under /tmp.
COPY . .
USER node
EXPOSE 3000
# docker-compose.yml sets the command per service; this is the API.
CMD ["tsx", "api/server.ts"]
