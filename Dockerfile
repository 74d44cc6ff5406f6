# syntax=docker/dockerfile:1
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The attachments volume is mounted here; created in the image so the volume starts owned by node.
RUN mkdir -p /app/storage/attachments && chown -R node:node /app/storage
USER node
EXPOSE 3000
# main.js creates the database if missing and applies migrations before listening. Exec form,
# no npm or shell in between: node is PID 1 and gets docker stop's SIGTERM (graceful drain).
# The V8 flags are npm start's (README, "Running in production"): a young generation of 2 x 16 MB
# and an old one that grows by half its live size between full collections.
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/src/main.js"]
