import qrcodeTerminal from "qrcode-terminal";
import { ScanStatus } from "wechaty";
import { ConfigError, loadDotEnv } from "../adapters/chat/config.ts";
import { loadGroupMap } from "../adapters/chat/group-map.ts";
import { buildWechaty, createWechatChannel } from "../adapters/chat/wechat.ts";
import { wechatConfig } from "../adapters/chat/wechat-config.ts";
import { createLogger } from "../adapters/logging.ts";
import { openBot } from "./open-bot.ts";

/**
 * The WeChat bot: `npm run wechat` shows a login QR code in the terminal,
 * then answers in private chats and in the listed groups.
 * `npm run wechat -- --list-rooms` logs in, prints every group's topic and id
 * (for WECHAT_ALLOWED_ROOMS or the group map) and exits.
 */
const listRooms = process.argv.includes("--list-rooms");

loadDotEnv();
// Configuration mistakes are reported before the slow index build, in one line.
let config: ReturnType<typeof wechatConfig>;
let groupMap: ReturnType<typeof loadGroupMap>;
try {
  config = wechatConfig();
  groupMap = loadGroupMap(config.groupMapFile, { required: config.groupMapFileRequired });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel });
const bot = await openBot(logger);
const wechaty = buildWechaty(config);

wechaty.on("scan", (qrcode: string, status: ScanStatus) => {
  if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
    console.log("请用机器人专用的微信号扫描下面的二维码登录：");
    qrcodeTerminal.generate(qrcode, { small: true });
    console.log(
      `二维码显示不全时，可在浏览器打开：https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`,
    );
  } else {
    logger.info({ event: "wechat_scan", status: ScanStatus[status] });
  }
});
wechaty.on("login", () => logger.info({ event: "wechat_login", puppet: config.puppet }));
wechaty.on("logout", (_user: unknown, reason?: string) =>
  logger.warn({ event: "wechat_logout", reason: reason ?? "" }),
);
wechaty.on("error", (error: Error) =>
  logger.error({ event: "wechat_error", error: error.message }),
);

if (listRooms) {
  // `ready` comes after the puppet has synced contacts and rooms.
  wechaty.on("ready", async () => {
    const rooms = await wechaty.Room.findAll();
    console.log(`共 ${rooms.length} 个群（群名称<TAB>群 id）：`);
    for (const room of rooms) console.log(`${await room.topic()}\t${room.id}`);
    await wechaty.stop().catch(() => undefined);
    await bot.store.close();
    process.exit(0);
  });
}

const channel = listRooms
  ? undefined
  : createWechatChannel({
      wechaty,
      engine: bot.engine,
      store: bot.store,
      logger,
      triggers: config.triggers,
      allowedRooms: config.allowedRooms,
      groupInfo: (platform, key) => groupMap.groupInfo(platform, key),
      notifyIntervalMs: config.notifyIntervalMs,
      ...config.rateLimits,
    });
if (channel && config.allowedRooms.length === 0 && groupMap.size === 0)
  logger.warn({ event: "wechat_no_groups", note: "no listed groups: private chats only" });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ event: "wechat_stopping", signal });
  // Finish replies already being written before the puppet goes away.
  await channel?.stop();
  await bot.worker.stop();
  await wechaty.stop().catch(() => undefined);
  await bot.store.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

try {
  await wechaty.start();
} catch (e) {
  console.error(
    `微信启动失败：${e instanceof Error ? e.message : String(e)}\n请确认已安装 ${config.puppet}（npm install ${config.puppet}），需要令牌的协议已填写 WECHATY_PUPPET_SERVICE_TOKEN。`,
  );
  await channel?.stop();
  await bot.store.close();
  process.exit(1);
}
// Cases filed from WeChat go on to the configured backends while the bot runs.
if (channel) bot.worker.start();
logger.info({ event: "wechat_started", puppet: config.puppet });
