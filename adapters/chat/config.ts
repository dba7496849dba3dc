import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The project root: `.env` and the default group map live here whatever the working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_GROUP_MAP_FILE = "config/groups.yaml";

/**
 * A configuration mistake. The message is one Chinese line naming the key
 * and what it should be, so the entry points print it and exit.
 */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Loads `.env` into process.env when the file exists (Node's built-in
 * loader; values already in the environment win, so a deployment can
 * override the file). Returns whether a file was read.
 */
export function loadDotEnv(path = resolve(PROJECT_ROOT, ".env")): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

export interface RateLimits {
  perUserPerMinute: number;
  perGroupPerMinute: number;
}

/** What every channel entry point shares. */
export interface ChannelConfig {
  rateLimits: RateLimits;
  /** Absolute path of the group map. */
  groupMapFile: string;
  /** False when GROUP_MAP_FILE was not set: then a missing default file just means "no groups mapped". */
  groupMapFileRequired: boolean;
  logLevel: LogLevel;
}

export interface TelegramConfig extends ChannelConfig {
  token: string;
  mode: "polling" | "webhook";
  /** The Bot API base URL (tests point it at a loopback server). */
  apiRoot?: string;
  webhook?: { url: string; secret: string; host: string; port: number };
}

export interface ApiConfig extends ChannelConfig {
  apiKeys: string[];
  host: string;
  port: number;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// --- one validator per key; each message names its key -------------------

const missing = (key: string, what: string) => `配置错误：缺少 ${key}（${what}）`;

function positiveInt(key: string, fallback: number) {
  return z
    .string()
    .regex(/^[1-9]\d{0,5}$/, { error: `配置错误：${key} 应为正整数（每分钟条数，如 ${fallback}）` })
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback);
}

function port(key: string, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,5}$/, { error: `配置错误：${key} 应为 1–65535 之间的端口号（如 ${fallback}）` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, {
      error: `配置错误：${key} 应为 1–65535 之间的端口号（如 ${fallback}）`,
    })
    .optional()
    .transform((v) => v ?? fallback);
}

function host(key: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9.:_-]+$/, {
      error: `配置错误：${key} 应为本机监听地址（如 127.0.0.1，对外服务用 0.0.0.0）`,
    })
    .optional()
    .transform((v) => v ?? "127.0.0.1");
}

function httpUrl(key: string, what: string, protocols: RegExp) {
  return z.url({ protocol: protocols, error: `配置错误：${key} 应为${what}` });
}

const Shared = z.object({
  RATE_LIMIT_USER_PER_MINUTE: positiveInt("RATE_LIMIT_USER_PER_MINUTE", 10),
  RATE_LIMIT_GROUP_PER_MINUTE: positiveInt("RATE_LIMIT_GROUP_PER_MINUTE", 30),
  GROUP_MAP_FILE: z.string().optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `配置错误：LOG_LEVEL 应为 ${LOG_LEVELS.join("、")} 之一` })
    .optional()
    .transform((v) => v ?? "info"),
});

const TelegramEnv = Shared.extend({
  TELEGRAM_BOT_TOKEN: z
    .string({
      error: missing("TELEGRAM_BOT_TOKEN", "在 Telegram 找 @BotFather 创建机器人后得到的令牌"),
    })
    .regex(/^\d+:[A-Za-z0-9_-]{10,}$/, {
      error:
        "配置错误：TELEGRAM_BOT_TOKEN 格式不对，应形如 123456789:AAH…（@BotFather 给出的令牌）",
    }),
  TELEGRAM_MODE: z
    .enum(["polling", "webhook"], {
      error: "配置错误：TELEGRAM_MODE 应为 polling（长轮询，默认）或 webhook",
    })
    .optional()
    .transform((v) => v ?? "polling"),
  TELEGRAM_WEBHOOK_URL: httpUrl(
    "TELEGRAM_WEBHOOK_URL",
    " https:// 开头的公网地址（如 https://bot.example.cn/telegram/webhook）",
    /^https$/,
  ).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, {
      error: "配置错误：TELEGRAM_WEBHOOK_SECRET 应为 16–256 位的字母、数字、_ 或 -",
    })
    .optional(),
  TELEGRAM_WEBHOOK_HOST: host("TELEGRAM_WEBHOOK_HOST"),
  TELEGRAM_WEBHOOK_PORT: port("TELEGRAM_WEBHOOK_PORT", 8788),
  TELEGRAM_API_ROOT: httpUrl(
    "TELEGRAM_API_ROOT",
    " http:// 或 https:// 开头的 Bot API 地址（默认 https://api.telegram.org）",
    /^https?$/,
  ).optional(),
});

const ApiEnv = Shared.extend({
  API_KEYS: z
    .string({ error: missing("API_KEYS", "HTTP 接口的密钥，多个用英文逗号分隔") })
    .transform((v) =>
      v
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k !== ""),
    )
    .pipe(
      z
        .array(
          z.string().regex(/^[\x21-\x7e]{16,256}$/, {
            error: "配置错误：API_KEYS 中每个密钥应为 16–256 个可见 ASCII 字符（不含空格）",
          }),
        )
        .min(1, { error: missing("API_KEYS", "HTTP 接口的密钥，多个用英文逗号分隔") }),
    ),
  API_PORT: port("API_PORT", 8787),
  API_HOST: host("API_HOST"),
});

/** `KEY=` in a .env file means "not set", not "set to nothing". */
function present(env: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

function parse<T extends z.ZodObject>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(present(env, Object.keys(schema.shape)));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? "配置");
  throw new ConfigError(key, issue?.message ?? `配置错误：${key} 的值不正确`);
}

/** The keys every channel shares (rate limits, group map, log level), for channels with their own keys. */
export function channelConfig(env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  return shared(parse(Shared, env));
}

function shared(env: z.output<typeof Shared>): ChannelConfig {
  const file = env.GROUP_MAP_FILE;
  return {
    rateLimits: {
      perUserPerMinute: env.RATE_LIMIT_USER_PER_MINUTE,
      perGroupPerMinute: env.RATE_LIMIT_GROUP_PER_MINUTE,
    },
    // A relative GROUP_MAP_FILE is read from the working directory like any path argument.
    groupMapFile: file
      ? isAbsolute(file)
        ? file
        : resolve(file)
      : resolve(PROJECT_ROOT, DEFAULT_GROUP_MAP_FILE),
    groupMapFileRequired: file !== undefined,
    logLevel: env.LOG_LEVEL,
  };
}

/** The Telegram entry point's configuration; throws ConfigError on the first bad or missing key. */
export function telegramConfig(env: NodeJS.ProcessEnv = process.env): TelegramConfig {
  const e = parse(TelegramEnv, env);
  const config: TelegramConfig = {
    ...shared(e),
    token: e.TELEGRAM_BOT_TOKEN,
    mode: e.TELEGRAM_MODE,
    ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, "") } : {}),
  };
  if (e.TELEGRAM_MODE === "webhook") {
    if (!e.TELEGRAM_WEBHOOK_URL)
      throw new ConfigError(
        "TELEGRAM_WEBHOOK_URL",
        missing(
          "TELEGRAM_WEBHOOK_URL",
          "TELEGRAM_MODE=webhook 时须填写 https:// 开头的公网回调地址",
        ),
      );
    if (!e.TELEGRAM_WEBHOOK_SECRET)
      throw new ConfigError(
        "TELEGRAM_WEBHOOK_SECRET",
        missing(
          "TELEGRAM_WEBHOOK_SECRET",
          "TELEGRAM_MODE=webhook 时须填写 16–256 位的字母、数字、_ 或 -，用来核对请求确实来自 Telegram",
        ),
      );
    config.webhook = {
      url: e.TELEGRAM_WEBHOOK_URL,
      secret: e.TELEGRAM_WEBHOOK_SECRET,
      host: e.TELEGRAM_WEBHOOK_HOST,
      port: e.TELEGRAM_WEBHOOK_PORT,
    };
  }
  return config;
}

/** The HTTP API entry point's configuration; throws ConfigError on the first bad or missing key. */
export function apiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = parse(ApiEnv, env);
  return { ...shared(e), apiKeys: e.API_KEYS, host: e.API_HOST, port: e.API_PORT };
}

/**
 * Runs a configuration step; on a ConfigError (or any other configuration
 * failure) prints its one line to stderr and exits, instead of a stack trace.
 */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    const line = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${line.replace(/\s*\n\s*/g, " ")}\n`);
    process.exit(1);
  }
}
