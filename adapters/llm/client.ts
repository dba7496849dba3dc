import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "openai";
import { LanguageModelError } from "../../bot/language-model.ts";
import type { ModelConfig } from "./config.ts";

/** Local servers (Ollama, vLLM) ignore the key, but the client refuses to start without one. */
const PLACEHOLDER_API_KEY = "no-key";

export function openAIClient(
  config: Pick<ModelConfig, "baseURL" | "apiKey" | "timeoutMs">,
): OpenAI {
  return new OpenAI({
    baseURL: config.baseURL,
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    // The engine has an offline fallback; retrying would only delay it.
    maxRetries: 0,
    timeout: config.timeoutMs,
    // Otherwise OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment would be
    // sent to whatever endpoint is configured, which may not be OpenAI.
    organization: null,
    project: null,
  });
}

/**
 * Maps whatever the client (or fetch underneath it) threw to the one error
 * type the engine handles. `signal` is the caller's deadline: once it has
 * fired, any failure is a timeout, whichever layer noticed it first.
 */
export function toLanguageModelError(
  error: unknown,
  what: string,
  deadline?: { signal: AbortSignal; timeoutMs: number },
): LanguageModelError {
  if (error instanceof LanguageModelError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  let result: LanguageModelError;
  if (
    deadline?.signal.aborted ||
    error instanceof APIUserAbortError ||
    error instanceof APIConnectionTimeoutError
  ) {
    const after = deadline ? ` ${deadline.timeoutMs} 毫秒内` : "";
    result = new LanguageModelError(`${what}${after}未答复（超时）`, "timeout");
  } else if (error instanceof APIError && error.status !== undefined) {
    result = new LanguageModelError(
      `${what}返回 HTTP ${error.status}：${detail}`,
      "http",
      error.status,
    );
  } else if (error instanceof APIConnectionError) {
    result = new LanguageModelError(`${what}连接失败：${detail}`, "network");
  } else if (error instanceof SyntaxError) {
    // A 200 whose body is not JSON: the endpoint answered, but with nothing usable.
    result = new LanguageModelError(`${what}返回的内容无法解析：${detail}`, "empty");
  } else {
    // E.g. the connection dropping while the body was being read.
    result = new LanguageModelError(`${what}请求失败：${detail}`, "network");
  }
  result.cause = error;
  return result;
}
