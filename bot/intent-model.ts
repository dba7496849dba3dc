import { z } from "zod";
import type { LanguageModel } from "./language-model.ts";
import type { EngineLogger } from "./logger.ts";
import { askModelForJson } from "./model-json.ts";
import { maskPhones } from "./privacy.ts";

export const IntentSchema = z.object({
  intent: z.enum(["question", "complaint", "smalltalk", "out_of_scope"]),
});
export type Intent = z.infer<typeof IntentSchema>["intent"];

/** A second opinion from the model where the rules would turn a resident away. */
export async function classifyIntent(
  text: string,
  deps: { model: LanguageModel; system: string; timeoutMs: number; log: EngineLogger },
): Promise<Intent | undefined> {
  const result = await askModelForJson({
    model: deps.model,
    system: deps.system,
    user: maskPhones(text),
    schema: IntentSchema,
    timeoutMs: deps.timeoutMs,
    log: deps.log,
    purpose: "intent",
  });
  return result?.intent;
}
