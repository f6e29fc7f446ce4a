# duban worker and HTTP server. Build: docker build -t duban .
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY importer importer
COPY office office
COPY workflows workflows
COPY activities activities
COPY store store
COPY directory directory
COPY config config
COPY servers servers
COPY services services
COPY cli cli
COPY http http
COPY web web
COPY worker worker
COPY app app
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DUBAN_DATA_DIR=/data
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY bin bin
COPY directory directory
COPY plans plans
VOLUME /data
EXPOSE 3000
# The same image runs the worker (default) or the HTTP server (command: node dist/app/http-main.js).
CMD ["node", "--max-old-space-size=768", "dist/app/worker-main.js"]
