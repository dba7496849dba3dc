import { backendsFromEnv } from "../adapters/cases/backends-config.ts";
import { configOrExit, loadDotEnv } from "../adapters/chat/config.ts";
import { loadGroupMap } from "../adapters/chat/group-map.ts";
import { createWecomChannel } from "../adapters/chat/wecom.ts";
import { wecomConfig } from "../adapters/chat/wecom-config.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { createLogger } from "../adapters/logging.ts";
import { openBotOrExit } from "./start-bot.ts";

/**
 * The WeCom (企业微信) smart bot over the SDK's WebSocket long connection,
 * plus the case delivery worker. Stops cleanly on SIGTERM/SIGINT: no new
 * messages, replies in flight sent, delivery pass finished, store closed.
 */
loadDotEnv();
const config = configOrExit(() => {
  const c = wecomConfig();
  // Checked before the (slow) knowledge base opens, so a typo fails at once.
  modelConfigFromEnv(process.env);
  backendsFromEnv(process.env);
  return { ...c, groupMap: loadGroupMap(c.groupMapFile, { required: c.groupMapFileRequired }) };
});
const logger = createLogger({ level: config.logLevel });
const bot = await openBotOrExit(logger);

const channel = createWecomChannel({
  botId: config.botId,
  secret: config.secret,
  ...(config.wsUrl ? { wsUrl: config.wsUrl } : {}),
  engine: bot.engine,
  store: bot.store,
  logger,
  groupMap: config.groupMap,
  rateLimits: config.rateLimits,
  notifyIntervalMs: config.notifyIntervalMs,
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ event: "shutting_down", reason: signal });
    void (async () => {
      await channel.stop();
      await bot.worker.stop();
      await bot.store.close();
      process.exit(0);
    })();
  });
}

try {
  await channel.start();
  console.error("企业微信智能机器人已连接（长连接）。按 Ctrl-C 停止。");
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (!/Authentication failed|auth failure attempts/i.test(message)) {
    // The SDK keeps reconnecting; an outage at start is not a reason to give up.
    logger.warn({
      event: "wecom_unreachable",
      url: config.wsUrl ?? "wss://openws.work.weixin.qq.com",
      hint: "仍在重试连接企业微信长连接服务；请检查网络或 WECOM_WS_URL",
    });
  } else {
    process.stderr.write(
      `企业微信智能机器人启动失败：企业微信不认这组 WECOM_BOT_ID / WECOM_BOT_SECRET，请到管理后台核对，或确认机器人已开启 API 长连接模式（${message}）\n`,
    );
    await channel.stop();
    await bot.worker.stop();
    await bot.store.close();
    process.exit(1);
  }
}
// Filed complaints go on to the configured case backends (Open311, webhook) from here.
bot.worker.start();
