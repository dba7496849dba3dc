import { backendsFromEnv } from "../adapters/cases/backends-config.ts";
import { apiConfig, configOrExit, loadDotEnv } from "../adapters/chat/config.ts";
import { startApi } from "../adapters/chat/http-api.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { createLogger } from "../adapters/logging.ts";
import { openBotOrExit } from "./start-bot.ts";

/**
 * The HTTP API (POST /api/messages, GET /healthz), plus the case delivery
 * worker. Stops cleanly on SIGTERM/SIGINT: no new connections, requests in
 * flight answered, delivery pass finished, casebook closed.
 */
loadDotEnv();
const config = configOrExit(() => {
  const c = apiConfig();
  modelConfigFromEnv(process.env);
  backendsFromEnv(process.env);
  return c;
});
const logger = createLogger({ level: config.logLevel });
const bot = await openBotOrExit(logger);

const server = await startApi({
  engine: bot.engine,
  store: bot.store,
  apiKeys: config.apiKeys,
  logger,
  rateLimits: config.rateLimits,
  host: config.host,
  port: config.port,
}).catch(async (e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const inUse = /EADDRINUSE/.test(message)
    ? `：端口 ${config.port} 已被占用，请换一个 API_PORT`
    : "";
  process.stderr.write(`HTTP 接口启动失败${inUse}（${message}）\n`);
  await bot.store.close();
  process.exit(1);
});
logger.info({ event: "api_started", url: server.url });
// Filed complaints go on to the configured case backends (Open311, webhook) from here.
bot.worker.start();
console.error(
  `HTTP 接口已启动：${server.url}（POST /api/messages，GET /healthz）。按 Ctrl-C 停止。`,
);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ event: "shutting_down", reason: signal });
    void server.close(10_000).then(async () => {
      await bot.worker.stop();
      await bot.store.close();
      process.exit(0);
    });
  });
}
