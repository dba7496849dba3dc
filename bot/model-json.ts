import type { z } from "zod";
import type { LanguageModel } from "./language-model.ts";
import type { EngineLogger } from "./logger.ts";

/**
 * One JSON request to the model, checked against its zod schema. Any
 * failure (error, timeout, malformed JSON, wrong shape) is logged as a
 * fallback and returns undefined, so the caller keeps its offline result.
 */
export async function askModelForJson<S extends z.ZodType>(input: {
  model: LanguageModel;
  system: string;
  user: string;
  schema: S;
  timeoutMs: number;
  log: EngineLogger;
  /** What the answer is for, in the log: answer, complaint_fields, intent. */
  purpose: string;
}): Promise<z.output<S> | undefined> {
  const { model, log } = input;
  const fail = (reason: string, detail?: unknown) => {
    log.warn(
      {
        event: "model_fallback",
        purpose: input.purpose,
        model: model.name,
        reason,
        detail: detail instanceof Error ? detail.message : detail,
      },
      "model output rejected; offline result used",
    );
    return undefined;
  };
  let raw: string;
  try {
    raw = await model.complete({
      system: input.system,
      user: input.user,
      json: true,
      timeoutMs: input.timeoutMs,
    });
  } catch (e) {
    return fail("model_error", e);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch (e) {
    return fail("malformed_json", e);
  }
  const parsed = input.schema.safeParse(json);
  if (!parsed.success) return fail("schema", parsed.error.issues[0]?.message);
  return parsed.data;
}

/** For callers that reject a well-formed answer on their own checks. */
export function logRejected(
  log: EngineLogger,
  model: LanguageModel,
  purpose: string,
  reason: string,
  detail?: unknown,
) {
  log.warn(
    { event: "model_fallback", purpose, model: model.name, reason, detail },
    "model output rejected; offline result used",
  );
}
