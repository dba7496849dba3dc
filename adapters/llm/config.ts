import { z } from "zod";

/**
 * Where the language model (and optionally the embedding model) lives. Any
 * OpenAI-compatible endpoint works: OpenAI, DeepSeek, Qwen DashScope
 * compatible-mode, a local vLLM or Ollama.
 */
export interface ModelConfig {
  /** e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1 */
  baseURL: string;
  /** Absent for local servers that take no key. */
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** Present when the dense index should use the endpoint's /embeddings. */
  embeddings?: { model: string; dimensions?: number };
}

const KEYS = [
  "LLM_BASE_URL",
  "LLM_API_KEY",
  "LLM_MODEL",
  "LLM_TIMEOUT_MS",
  "EMBEDDINGS_MODEL",
  "EMBEDDINGS_DIMENSIONS",
] as const;

const DEFAULT_TIMEOUT_MS = 15_000;

function positiveInteger(key: string, unit = "") {
  return z
    .string()
    .regex(/^[1-9]\d*$/, { error: `配置项 ${key} 应为正整数${unit}` })
    .transform(Number);
}

const EnvSchema = z
  .object({
    LLM_BASE_URL: z.url({
      protocol: /^https?$/,
      error:
        "配置项 LLM_BASE_URL 应为 http:// 或 https:// 开头的网址（如 https://api.deepseek.com/v1）",
    }),
    LLM_API_KEY: z.string().optional(),
    LLM_MODEL: z.string({
      error: "配置项 LLM_MODEL 未设置：设置了 LLM_BASE_URL 时须指明模型名（如 deepseek-chat）",
    }),
    LLM_TIMEOUT_MS: positiveInteger("LLM_TIMEOUT_MS", "（毫秒）").optional(),
    EMBEDDINGS_MODEL: z.string().optional(),
    EMBEDDINGS_DIMENSIONS: positiveInteger("EMBEDDINGS_DIMENSIONS", "（向量维数）").optional(),
  })
  .superRefine((env, ctx) => {
    if (env.EMBEDDINGS_DIMENSIONS !== undefined && env.EMBEDDINGS_MODEL === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "配置项 EMBEDDINGS_DIMENSIONS 须与 EMBEDDINGS_MODEL 一同设置",
      });
    }
  })
  .transform(
    (env): ModelConfig => ({
      // One trailing slash or none should mean the same endpoint.
      baseURL: env.LLM_BASE_URL.replace(/\/+$/, ""),
      ...(env.LLM_API_KEY === undefined ? {} : { apiKey: env.LLM_API_KEY }),
      model: env.LLM_MODEL,
      timeoutMs: env.LLM_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS,
      ...(env.EMBEDDINGS_MODEL === undefined
        ? {}
        : {
            embeddings: {
              model: env.EMBEDDINGS_MODEL,
              ...(env.EMBEDDINGS_DIMENSIONS === undefined
                ? {}
                : { dimensions: env.EMBEDDINGS_DIMENSIONS }),
            },
          }),
    }),
  );

/**
 * The model configuration from environment variables, or undefined when no
 * LLM_BASE_URL is set (the bot then answers offline). Throws an Error whose
 * one-line Chinese message names each wrong key and what it should be.
 */
export function modelConfigFromEnv(env: NodeJS.ProcessEnv): ModelConfig | undefined {
  // `KEY=` in a .env file or a compose file means "not set", not "set to nothing".
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, env[key]?.trim() || undefined] as const).filter(
      ([, value]) => value !== undefined,
    ),
  );
  if (raw.LLM_BASE_URL === undefined) return undefined;
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("；"));
  return parsed.data;
}
