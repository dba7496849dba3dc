import { z } from "zod";
import { CATEGORIES } from "../../bot/complaint.ts";
import type { CaseBackend } from "./case-backend.ts";
import { DEFAULT_DELIVERY_SCHEDULE, type DeliverySchedule } from "./delivery-worker.ts";
import { Open311Backend } from "./open311.ts";
import { WebhookBackend } from "./webhook.ts";

export interface CaseDeliveryConfig {
  /** Zero, one or both of Open311 and the webhook, in that order. */
  backends: CaseBackend[];
  schedule: DeliverySchedule;
}

const KEYS = [
  "OPEN311_ENDPOINT",
  "OPEN311_API_KEY",
  "OPEN311_JURISDICTION_ID",
  "OPEN311_SERVICE_CODES",
  "WEBHOOK_URL",
  "WEBHOOK_SECRET",
  "DELIVERY_RETRY_SCHEDULE",
  "DELIVERY_MAX_ATTEMPTS",
] as const;

const OPEN311_KEYS = KEYS.filter((k) => k.startsWith("OPEN311_"));
const WEBHOOK_KEYS = KEYS.filter((k) => k.startsWith("WEBHOOK_"));

function httpUrl(key: string, example: string) {
  return z.url({
    protocol: /^https?$/,
    error: `配置项 ${key} 应为 http:// 或 https:// 开头的网址（如 ${example}）`,
  });
}

const SERVICE_CODES_HINT = `配置项 OPEN311_SERVICE_CODES 应为 JSON 对象，键为投诉类别（${CATEGORIES.join("、")}），值为服务代码，如 {"fees":"101"}`;

const ServiceCodesSchema = z.string().transform((text, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: SERVICE_CODES_HINT });
    return z.NEVER;
  }
  const codes = z
    .strictObject(Object.fromEntries(CATEGORIES.map((c) => [c, z.string().trim().min(1)])))
    .partial()
    .safeParse(parsed);
  if (!codes.success) {
    ctx.addIssue({ code: "custom", message: SERVICE_CODES_HINT });
    return z.NEVER;
  }
  return codes.data as Partial<Record<(typeof CATEGORIES)[number], string>>;
});

const SCHEDULE_HINT =
  "配置项 DELIVERY_RETRY_SCHEDULE 应为以逗号分隔的秒数（非负整数），如 0,300,1800：立即投递，5 分钟后重试，之后每 30 分钟重试一次";

const ScheduleSchema = z
  .string()
  .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, { error: SCHEDULE_HINT })
  .transform((text) => text.split(",").map((s) => Number(s.trim())));

const EnvSchema = z
  .object({
    OPEN311_ENDPOINT: httpUrl("OPEN311_ENDPOINT", "https://example.gov.cn/open311/v2/").optional(),
    OPEN311_API_KEY: z.string().optional(),
    OPEN311_JURISDICTION_ID: z.string().optional(),
    OPEN311_SERVICE_CODES: ServiceCodesSchema.optional(),
    WEBHOOK_URL: httpUrl("WEBHOOK_URL", "https://example.gov.cn/hooks/wuye").optional(),
    WEBHOOK_SECRET: z.string().optional(),
    DELIVERY_RETRY_SCHEDULE: ScheduleSchema.optional(),
    DELIVERY_MAX_ATTEMPTS: z
      .string()
      .regex(/^[1-9]\d*$/, { error: "配置项 DELIVERY_MAX_ATTEMPTS 应为正整数（最多投递次数）" })
      .transform(Number)
      .optional(),
  })
  .superRefine((env, ctx) => {
    // A half-configured backend is a typo, not a wish to run without it.
    const requireTogether = (group: readonly string[], required: readonly (keyof typeof env)[]) => {
      const given = group.find((k) => env[k as keyof typeof env] !== undefined);
      if (!given) return;
      for (const key of required) {
        if (env[key] === undefined) {
          ctx.addIssue({
            code: "custom",
            message: `配置项 ${key} 未设置：设置了 ${given} 时须同时设置 ${required.join(" 和 ")}`,
          });
        }
      }
    };
    requireTogether(OPEN311_KEYS, ["OPEN311_ENDPOINT", "OPEN311_API_KEY"]);
    requireTogether(WEBHOOK_KEYS, ["WEBHOOK_URL", "WEBHOOK_SECRET"]);
  });

/**
 * The case backends and delivery schedule from environment variables. With
 * none of them set the casebook keeps cases to itself. Throws an Error whose
 * one-line Chinese message names each wrong key (never echoing a secret).
 */
export function backendsFromEnv(env: NodeJS.ProcessEnv): CaseDeliveryConfig {
  // `KEY=` in a .env file means "not set", not "set to nothing".
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, env[key]?.trim() || undefined] as const).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("；"));
  const e = parsed.data;

  const backends: CaseBackend[] = [];
  if (e.OPEN311_ENDPOINT && e.OPEN311_API_KEY) {
    backends.push(
      new Open311Backend({
        endpoint: e.OPEN311_ENDPOINT,
        apiKey: e.OPEN311_API_KEY,
        ...(e.OPEN311_JURISDICTION_ID ? { jurisdictionId: e.OPEN311_JURISDICTION_ID } : {}),
        ...(e.OPEN311_SERVICE_CODES ? { serviceCodes: e.OPEN311_SERVICE_CODES } : {}),
      }),
    );
  }
  if (e.WEBHOOK_URL && e.WEBHOOK_SECRET) {
    backends.push(new WebhookBackend({ url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET }));
  }
  return {
    backends,
    schedule: {
      delaysSeconds: e.DELIVERY_RETRY_SCHEDULE ?? [...DEFAULT_DELIVERY_SCHEDULE.delaysSeconds],
      ...(e.DELIVERY_MAX_ATTEMPTS === undefined ? {} : { maxAttempts: e.DELIVERY_MAX_ATTEMPTS }),
    },
  };
}
