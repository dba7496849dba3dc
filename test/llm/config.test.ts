import { describe, expect, it } from "vitest";
import { modelConfigFromEnv } from "../../adapters/llm/config.ts";

const base = { LLM_BASE_URL: "https://api.deepseek.com/v1", LLM_MODEL: "deepseek-chat" };

describe("modelConfigFromEnv", () => {
  it("is undefined without LLM_BASE_URL (blank counts as unset)", () => {
    expect(modelConfigFromEnv({})).toBeUndefined();
    expect(modelConfigFromEnv({ LLM_BASE_URL: "  ", LLM_MODEL: "x" })).toBeUndefined();
  });

  it("reads a minimal local endpoint with defaults", () => {
    expect(
      modelConfigFromEnv({ LLM_BASE_URL: "http://127.0.0.1:11434/v1/", LLM_MODEL: "qwen2.5" }),
    ).toEqual({ baseURL: "http://127.0.0.1:11434/v1", model: "qwen2.5", timeoutMs: 15000 });
  });

  it("reads every key", () => {
    expect(
      modelConfigFromEnv({
        ...base,
        LLM_API_KEY: "sk-test",
        LLM_TIMEOUT_MS: "8000",
        EMBEDDINGS_MODEL: "text-embedding-v3",
        EMBEDDINGS_DIMENSIONS: "512",
      }),
    ).toEqual({
      ...{ baseURL: base.LLM_BASE_URL, model: base.LLM_MODEL },
      apiKey: "sk-test",
      timeoutMs: 8000,
      embeddings: { model: "text-embedding-v3", dimensions: 512 },
    });
  });

  it("names LLM_MODEL when it is missing", () => {
    expect(() => modelConfigFromEnv({ LLM_BASE_URL: base.LLM_BASE_URL })).toThrow(/LLM_MODEL/);
  });

  it("names LLM_TIMEOUT_MS when it is not a positive integer", () => {
    for (const bad of ["abc", "0", "-5", "1.5"]) {
      expect(() => modelConfigFromEnv({ ...base, LLM_TIMEOUT_MS: bad })).toThrow(
        "配置项 LLM_TIMEOUT_MS 应为正整数（毫秒）",
      );
    }
  });

  it("names the other keys it rejects, on one line", () => {
    const attempt = () =>
      modelConfigFromEnv({
        LLM_BASE_URL: "api.deepseek.com",
        EMBEDDINGS_DIMENSIONS: "many",
      });
    expect(attempt).toThrow(/LLM_BASE_URL.*LLM_MODEL.*EMBEDDINGS_DIMENSIONS/);
    expect(attempt).not.toThrow(/\n/);
    expect(() => modelConfigFromEnv({ ...base, EMBEDDINGS_DIMENSIONS: "256" })).toThrow(
      /EMBEDDINGS_DIMENSIONS.*EMBEDDINGS_MODEL/,
    );
  });
});
