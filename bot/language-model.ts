/**
 * The one thing the engine asks of a language model: given a system prompt
 * and a user message, return the model's text (which the engine parses and
 * validates itself). Implemented by adapters/llm for any OpenAI-compatible
 * endpoint; absent on the embedded default.
 */
export interface LanguageModel {
  readonly name: string;
  complete(request: {
    system: string;
    user: string;
    /** Ask the endpoint for a JSON object (response_format json_object). */
    json?: boolean;
    /** Give up after this long; the engine then falls back to the offline answer. */
    timeoutMs: number;
  }): Promise<string>;
}

/** Raised by adapters for every model failure, so callers handle one error type. */
export class LanguageModelError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "http" | "network" | "empty",
    readonly status?: number,
  ) {
    super(message);
    this.name = "LanguageModelError";
  }
}
