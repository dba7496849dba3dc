import { backendsFromEnv } from "../adapters/cases/backends-config.ts";
import { configOrExit, loadDotEnv, telegramConfig } from "../adapters/chat/config.ts";
import { loadGroupMap } from "../adapters/chat/group-map.ts";
import { createTelegramChannel } from "../adapters/chat/telegram.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { createLogger } from "../adapters/logging.ts";
import { openBotOrExit } from "./start-bot.ts";

/**
 * The Telegram bot: long polling by default, a webhook with
 * TELEGRAM_MODE=webhook; also runs the case delivery worker. Stops cleanly
 * on SIGTERM/SIGINT: no new updates, replies in flight finished, delivery
 * pass finished, casebook closed.
 */
loadDotEnv();
const config = configOrExit(() => {
  const c = telegramConfig();
  // Checked before the (slow) knowledge base opens, so a typo fails at once.
  modelConfigFromEnv(process.env);
  backendsFromEnv(process.env);
  return { ...c, groupMap: loadGroupMap(c.groupMapFile, { required: c.groupMapFileRequired }) };
});
const logger = createLogger({ level: config.logLevel });
const bot = await openBotOrExit(logger);

let stopping: Promise<void> | undefined;
function shutdown(reason: string, code: number): Promise<void> {
  stopping ??= (async () => {
    logger.info({ event: "shutting_down", reason });
    const force = setTimeout(() => {
      logger.error({ event: "shutdown_timeout" });
      process.exit(1);
    }, 30_000);
    force.unref();
    await channel.stop();
    await bot.worker.stop();
    await bot.store.close();
    process.exit(code);
  })();
  return stopping;
}

const channel = createTelegramChannel({
  token: config.token,
  ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
  engine: bot.engine,
  store: bot.store,
  logger,
  groupMap: config.groupMap,
  rateLimits: config.rateLimits,
  onFatal: () => void shutdown("polling_failed", 1),
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    // A second Ctrl-C means "now".
    if (stopping) process.exit(130);
    void shutdown(signal, 0);
  });
}

// Telegram may be unreachable from some networks; say so instead of waiting silently.
const slow = setTimeout(
  () =>
    logger.warn({
      event: "telegram_unreachable",
      apiRoot: config.apiRoot ?? "https://api.telegram.org",
      hint: "仍在重试连接 Telegram Bot API；如网络无法直连，请设置 TELEGRAM_API_ROOT",
    }),
  15_000,
);
try {
  if (config.mode === "webhook" && config.webhook) {
    const server = await channel.startWebhook(config.webhook);
    console.error(`Telegram 机器人已启动（webhook，本地监听 ${server.url}）。按 Ctrl-C 停止。`);
  } else {
    const me = await channel.startPolling();
    console.error(`Telegram 机器人 @${me.username} 已启动（长轮询）。按 Ctrl-C 停止。`);
  }
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  const hint = /401|Unauthorized/i.test(message)
    ? "：Telegram 不认这个 TELEGRAM_BOT_TOKEN，请到 @BotFather 核对令牌"
    : /409|Conflict/i.test(message)
      ? "：另一个程序正在用这个令牌接收消息，请先停掉它"
      : "";
  process.stderr.write(`Telegram 启动失败${hint}（${message.replace(/\s+/g, " ")}）\n`);
  await bot.worker.stop();
  await bot.store.close();
  process.exit(1);
} finally {
  clearTimeout(slow);
}
// Filed complaints go on to the configured case backends (Open311, webhook) from here.
bot.worker.start();
