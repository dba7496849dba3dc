import { backendsFromEnv } from "../adapters/cases/backends-config.ts";
import { configOrExit, loadDotEnv } from "../adapters/chat/config.ts";
import { MpApiClient } from "../adapters/chat/wechat-mp/api-client.ts";
import { mpConfig } from "../adapters/chat/wechat-mp/config.ts";
import { MP_PATH, startMp } from "../adapters/chat/wechat-mp/server.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { createLogger } from "../adapters/logging.ts";
import { openBotOrExit } from "./start-bot.ts";

/**
 * The Official Account (公众号) message callback: serves GET|POST /wechat/mp
 * on MP_HOST:MP_PORT, plus the case delivery worker. Stops cleanly on
 * SIGTERM/SIGINT: no new connections, replies in flight sent, delivery pass
 * finished, store closed.
 */
loadDotEnv();
const config = configOrExit(() => {
  const c = mpConfig();
  // Checked before the (slow) knowledge base opens, so a typo fails at once.
  modelConfigFromEnv(process.env);
  backendsFromEnv(process.env);
  return c;
});
const logger = createLogger({ level: config.logLevel });
const bot = await openBotOrExit(logger);

const api = new MpApiClient({
  appId: config.appId,
  secret: config.secret,
  ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
});
const { channel, server } = await startMp({
  engine: bot.engine,
  store: bot.store,
  logger,
  token: config.token,
  appId: config.appId,
  ...(config.aesKey ? { aesKey: config.aesKey } : {}),
  ...(config.template ? { template: config.template } : {}),
  api,
  rateLimits: config.rateLimits,
  notifyIntervalMs: config.notifyIntervalMs,
  host: config.host,
  port: config.port,
}).catch(async (e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const inUse = /EADDRINUSE/.test(message)
    ? `：端口 ${config.port} 已被占用，请换一个 MP_PORT`
    : "";
  process.stderr.write(`公众号服务启动失败${inUse}（${message}）\n`);
  await bot.store.close();
  process.exit(1);
});
logger.info({ event: "mp_started", url: `${server.url}${MP_PATH}`, safeMode: !!config.aesKey });
// Filed complaints go on to the configured case backends (Open311, webhook) from here.
bot.worker.start();
console.error(
  `公众号消息服务已启动：${server.url}${MP_PATH}（${config.aesKey ? "支持明文和安全模式" : "明文模式；安全模式需填写 WECHAT_MP_AES_KEY"}）。按 Ctrl-C 停止。`,
);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ event: "shutting_down", reason: signal });
    void (async () => {
      await server.close(10_000);
      await channel.stop();
      await bot.worker.stop();
      await bot.store.close();
      process.exit(0);
    })();
  });
}
