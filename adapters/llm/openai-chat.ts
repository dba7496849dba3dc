import type OpenAI from "openai";
import { type LanguageModel, LanguageModelError } from "../../bot/language-model.ts";
import { openAIClient, toLanguageModelError } from "./client.ts";
import type { ModelConfig } from "./config.ts";

const WHAT = "语言模型服务";

/** A chat model behind any OpenAI-compatible /chat/completions endpoint. */
export class OpenAIChatModel implements LanguageModel {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(config: Pick<ModelConfig, "baseURL" | "apiKey" | "model" | "timeoutMs">) {
    this.name = `openai:${config.model}`;
    this.model = config.model;
    this.client = openAIClient(config);
  }

  async complete(request: {
    system: string;
    user: string;
    json?: boolean;
    timeoutMs: number;
  }): Promise<string> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    let completion: unknown;
    try {
      completion = await this.client.chat.completions.create(
        {
          model: this.model,
          temperature: 0.2,
          messages: [
            { role: "system", content: request.system },
            { role: "user", content: request.user },
          ],
          ...(request.json ? { response_format: { type: "json_object" as const } } : {}),
        },
        { signal },
      );
    } catch (error) {
      throw toLanguageModelError(error, WHAT, { signal, timeoutMs: request.timeoutMs });
    }
    const content = firstChoiceContent(completion);
    if (content === undefined || content.trim() === "") {
      throw new LanguageModelError(`${WHAT}返回了空回答`, "empty");
    }
    return content;
  }
}

/**
 * The client hands back a plain string when the endpoint mislabels its body,
 * so the typed shape cannot be trusted.
 */
function firstChoiceContent(completion: unknown): string | undefined {
  if (typeof completion !== "object" || completion === null) return undefined;
  const choices = (completion as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return undefined;
  const content = (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
  return typeof content === "string" ? content : undefined;
}
