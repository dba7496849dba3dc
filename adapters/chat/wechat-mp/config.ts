import { type ChannelConfig, ConfigError, channelConfig } from "../config.ts";
import { AES_KEY_PATTERN } from "./crypto.ts";

export const DEFAULT_MP_PORT = 8789;
export const DEFAULT_MP_NOTIFY_INTERVAL_MS = 60_000;

export interface MpConfig extends ChannelConfig {
  host: string;
  port: number;
  /** The Token in the Official Account's server configuration (signs every request). */
  token: string;
  appId: string;
  secret: string;
  /** The EncodingAESKey; needed for safe mode. */
  aesKey?: string;
  apiRoot?: string;
  /** A template message for status updates once the 48-hour window has closed. */
  template?: { id: string; field: string };
  notifyIntervalMs: number;
}

/** `KEY=` in a .env file means "not set", not "set to nothing". */
const value = (env: NodeJS.ProcessEnv, key: string): string | undefined =>
  env[key]?.trim() || undefined;

function required(env: NodeJS.ProcessEnv, key: string, what: string, pattern: RegExp): string {
  const v = value(env, key);
  if (!v) throw new ConfigError(key, `配置错误：缺少 ${key}（${what}）`);
  if (!pattern.test(v)) throw new ConfigError(key, `配置错误：${key} 格式不对（${what}）`);
  return v;
}

function integer(
  env: NodeJS.ProcessEnv,
  key: string,
  fallback: number,
  what: string,
  max: number,
): number {
  const text = value(env, key);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d{1,9}$/.test(text) || n < 1 || n > max)
    throw new ConfigError(
      key,
      `配置错误：${key} 应为 1–${max} 之间的整数（${what}，如 ${fallback}）`,
    );
  return n;
}

/**
 * The Official Account entry point's configuration (CONTRACTS §7), with the
 * keys every channel shares. Throws ConfigError on the first bad or missing key.
 */
export function mpConfig(env: NodeJS.ProcessEnv = process.env): MpConfig {
  const token = required(
    env,
    "WECHAT_MP_TOKEN",
    "公众号后台「服务器配置」里填的令牌 Token，3–32 位英文字母或数字",
    /^[A-Za-z0-9]{3,32}$/,
  );
  const appId = required(
    env,
    "WECHAT_MP_APPID",
    "公众号的开发者 ID（AppID），形如 wx 加 16 位字母数字",
    /^wx[0-9A-Za-z]{16}$/,
  );
  const secret = required(
    env,
    "WECHAT_MP_SECRET",
    "公众号的开发者密码（AppSecret），32 位字母数字",
    /^[0-9A-Za-z]{16,64}$/,
  );
  const aesKey = value(env, "WECHAT_MP_AES_KEY");
  if (aesKey !== undefined && !AES_KEY_PATTERN.test(aesKey))
    throw new ConfigError(
      "WECHAT_MP_AES_KEY",
      "配置错误：WECHAT_MP_AES_KEY 应为公众号后台给出的 43 位消息加解密密钥（EncodingAESKey）",
    );
  const apiRoot = value(env, "WECHAT_MP_API_ROOT");
  if (apiRoot !== undefined && !/^https?:\/\/[^\s/]+/.test(apiRoot))
    throw new ConfigError(
      "WECHAT_MP_API_ROOT",
      "配置错误：WECHAT_MP_API_ROOT 应为 http:// 或 https:// 开头的地址（默认 https://api.weixin.qq.com）",
    );
  const host = value(env, "MP_HOST") ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:_-]+$/.test(host))
    throw new ConfigError(
      "MP_HOST",
      "配置错误：MP_HOST 应为本机监听地址（如 127.0.0.1，对外服务用 0.0.0.0）",
    );
  const templateId = value(env, "WECHAT_MP_TEMPLATE_ID");
  return {
    ...channelConfig(env),
    host,
    port: integer(env, "MP_PORT", DEFAULT_MP_PORT, "监听端口", 65_535),
    token,
    appId,
    secret,
    ...(aesKey ? { aesKey } : {}),
    ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}),
    ...(templateId
      ? { template: { id: templateId, field: value(env, "WECHAT_MP_TEMPLATE_FIELD") ?? "content" } }
      : {}),
    notifyIntervalMs: integer(
      env,
      "WECHAT_MP_NOTIFY_INTERVAL_MS",
      DEFAULT_MP_NOTIFY_INTERVAL_MS,
      "多少毫秒检查一次投诉进展",
      86_400_000,
    ),
  };
}
