# syntax=docker/dockerfile:1
# icp-bot: build the TypeScript and the classifier in one stage, run as a non-root user in another.
#   docker build -t icp-bot .
#   docker run --env-file .env -p 3000:3000 icp-bot
# Settings come from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, REDIS_URL, ICP_ROLE,
# DATABASE_URL…);
# no .env file is copied into the image.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# node-gyp's tools: better-sqlite3 (the question log) is compiled when no prebuilt binary is reachable.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the build runs below. The
# one native module is then built on its own.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY data ./data
COPY intents ./intents
RUN npm run build && npm prune --omit=dev --ignore-scripts && mkdir -p data-local

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# Only what runs: the built code, the production dependencies, and the data it reads at start-up
# (intents/ includes the training questions, against which the built classifier is checked).
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/data ./data
COPY --from=build --chown=node:node /app/intents ./intents
# The question log's default SQLite file lives here (QUESTION_DB): writable by the bot; mount a
# volume to keep it, or set DATABASE_URL for PostgreSQL (several instances share one that way).
COPY --from=build --chown=node:node /app/data-local ./data-local
USER node
EXPOSE 3000
# /readyz answers 200 once the bot can answer (Slack token checked, Redis reachable when used).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops cleanly: in-flight replies finish, then the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
