import { type ChannelConfig, ConfigError, channelConfig } from "./config.ts";
import { DEFAULT_WECOM_NOTIFY_INTERVAL_MS } from "./wecom.ts";

export interface WecomConfig extends ChannelConfig {
  botId: string;
  secret: string;
  /** Absent: the SDK's official long-connection address. */
  wsUrl?: string;
  notifyIntervalMs: number;
}

/** `KEY=` in a .env file means "not set", not "set to nothing". */
const value = (env: NodeJS.ProcessEnv, key: string): string | undefined =>
  env[key]?.trim() || undefined;

function required(env: NodeJS.ProcessEnv, key: string, what: string): string {
  const v = value(env, key);
  if (!v) throw new ConfigError(key, `配置错误：缺少 ${key}（${what}）`);
  if (!/^[\x21-\x7e]{4,256}$/.test(v))
    throw new ConfigError(key, `配置错误：${key} 格式不对（${what}，不含空格）`);
  return v;
}

/**
 * The WeCom smart bot entry point's configuration (CONTRACTS §7), with the
 * keys every channel shares. Throws ConfigError on the first bad or missing key.
 */
export function wecomConfig(env: NodeJS.ProcessEnv = process.env): WecomConfig {
  const botId = required(env, "WECOM_BOT_ID", "企业微信管理后台智能机器人的 Bot ID");
  const secret = required(env, "WECOM_BOT_SECRET", "企业微信管理后台智能机器人的 Secret");
  const wsUrl = value(env, "WECOM_WS_URL");
  if (wsUrl !== undefined && !/^wss?:\/\/[^\s/]+/.test(wsUrl))
    throw new ConfigError(
      "WECOM_WS_URL",
      "配置错误：WECOM_WS_URL 应为 ws:// 或 wss:// 开头的长连接地址（默认 wss://openws.work.weixin.qq.com）",
    );
  const interval = value(env, "WECOM_NOTIFY_INTERVAL_MS");
  if (interval !== undefined && !/^[1-9]\d{0,8}$/.test(interval))
    throw new ConfigError(
      "WECOM_NOTIFY_INTERVAL_MS",
      `配置错误：WECOM_NOTIFY_INTERVAL_MS 应为正整数（多少毫秒检查一次投诉进展，如 ${DEFAULT_WECOM_NOTIFY_INTERVAL_MS}）`,
    );
  return {
    ...channelConfig(env),
    botId,
    secret,
    ...(wsUrl ? { wsUrl } : {}),
    notifyIntervalMs: interval ? Number(interval) : DEFAULT_WECOM_NOTIFY_INTERVAL_MS,
  };
}
