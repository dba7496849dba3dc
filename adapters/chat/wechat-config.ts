import { type ChannelConfig, ConfigError, channelConfig } from "./config.ts";

export const DEFAULT_TRIGGERS = ["问", "投诉", "@物业助手"];
/** wechaty's own default: the free web protocol, no token needed. */
export const DEFAULT_PUPPET = "wechaty-puppet-wechat4u";
export const DEFAULT_NOTIFY_INTERVAL_MS = 60_000;

export interface WechatConfig extends ChannelConfig {
  /** The session name; puppets keep the login under it, so a restart needs no new scan. */
  name: string;
  puppet: string;
  puppetToken?: string;
  triggers: string[];
  allowedRooms: string[];
  notifyIntervalMs: number;
}

const PUPPET_NAME = /^(@[a-z0-9._-]+\/)?wechaty-puppet-[a-z0-9._-]+$/;

/** `KEY=` in a .env file means "not set", not "set to nothing". */
const value = (env: NodeJS.ProcessEnv, key: string): string | undefined =>
  env[key]?.trim() || undefined;

const list = (text: string | undefined): string[] =>
  (text ?? "")
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number, what: string): number {
  const text = value(env, key);
  if (text === undefined) return fallback;
  if (!/^[1-9]\d{0,8}$/.test(text))
    throw new ConfigError(key, `配置错误：${key} 应为正整数（${what}，如 ${fallback}）`);
  return Number(text);
}

/**
 * The WeChat entry point's configuration: the puppet variables wechaty
 * documents, the WeChat-only keys, and the keys every channel shares (rate
 * limits, group map, log level) read the same way as for Telegram and the
 * API. Throws ConfigError on the first bad key.
 */
export function wechatConfig(env: NodeJS.ProcessEnv = process.env): WechatConfig {
  const puppet = value(env, "WECHATY_PUPPET") ?? DEFAULT_PUPPET;
  if (!PUPPET_NAME.test(puppet))
    throw new ConfigError(
      "WECHATY_PUPPET",
      `配置错误：WECHATY_PUPPET 应为 puppet 的 npm 包名（如 wechaty-puppet-service、wechaty-puppet-padlocal、${DEFAULT_PUPPET}），现为「${puppet.slice(0, 60)}」`,
    );
  const token = value(env, "WECHATY_PUPPET_SERVICE_TOKEN");
  if (puppet === "wechaty-puppet-service" && !token)
    throw new ConfigError(
      "WECHATY_PUPPET_SERVICE_TOKEN",
      "配置错误：缺少 WECHATY_PUPPET_SERVICE_TOKEN（使用 wechaty-puppet-service 时须填写服务商提供的令牌）",
    );
  const triggers = list(value(env, "WECHAT_TRIGGERS"));
  return {
    ...channelConfig(env),
    name: value(env, "WECHATY_NAME") ?? "wuye-assistant",
    puppet,
    ...(token ? { puppetToken: token } : {}),
    triggers: triggers.length > 0 ? triggers : DEFAULT_TRIGGERS,
    allowedRooms: list(value(env, "WECHAT_ALLOWED_ROOMS")),
    notifyIntervalMs: positiveInt(
      env,
      "WECHAT_NOTIFY_INTERVAL_MS",
      DEFAULT_NOTIFY_INTERVAL_MS,
      "多少毫秒检查一次投诉进展",
    ),
  };
}
