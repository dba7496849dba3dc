import { ComplaintSchema } from "../complaint.ts";
import type { LanguageModel } from "../language-model.ts";
import type { EngineLogger } from "../logger.ts";
import { askModelForJson } from "../model-json.ts";
import { maskPhones } from "../privacy.ts";
import { URGENCY_RANK } from "./extract.ts";
import type { IntakeState } from "./intake-state.ts";

/** The fields a model may read from the conversation: the complaint schema itself, not a copy. */
export const ModelComplaintFieldsSchema = ComplaintSchema.pick({
  category: true,
  district: true,
  community: true,
  urgency: true,
  anonymous: true,
  location: true,
  company: true,
  occurredAt: true,
});

/**
 * Lets a configured model fill what the rules could not read. It only fills
 * gaps: a value the rules found stays, a free-text value must appear in what
 * the resident wrote (so it cannot be invented), urgency only goes up, and
 * anonymity can only be switched on.
 */
export async function refineWithModel(
  state: IntakeState,
  deps: { model: LanguageModel; system: string; timeoutMs: number; log: EngineLogger },
): Promise<void> {
  const said = state.transcript
    .filter((t) => t.role === "resident")
    .map((t) => maskPhones(t.text))
    .join("\n");
  const fields = await askModelForJson({
    model: deps.model,
    system: deps.system,
    user: `居民的消息：\n${said}`,
    schema: ModelComplaintFieldsSchema,
    timeoutMs: deps.timeoutMs,
    log: deps.log,
    purpose: "complaint_fields",
  });
  if (!fields) return;
  const d = state.draft;
  const stated = (v: string | null) => (v && said.includes(v) ? v : null);
  d.district ??= fields.district;
  d.community ??= stated(fields.community);
  d.location ??= stated(fields.location);
  d.company ??= stated(fields.company);
  d.occurredAt ??= stated(fields.occurredAt);
  if ((d.category === null || d.category === "other") && fields.category)
    d.category = fields.category;
  if (URGENCY_RANK[fields.urgency] > URGENCY_RANK[d.urgency]) d.urgency = fields.urgency;
  if (fields.anonymous && !d.anonymous) {
    d.anonymous = true;
    d.contact = null;
  }
}
