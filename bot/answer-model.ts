import { z } from "zod";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchResult } from "../knowledge/retriever.ts";
import { unitText } from "../knowledge/unit.ts";
import type { ComposedAnswer } from "./answer-offline.ts";
import { selectHits } from "./answer-offline.ts";
import { citationLine } from "./citations.ts";
import { conflictsFor } from "./conflicts.ts";
import type { LanguageModel } from "./language-model.ts";
import type { EngineLogger } from "./logger.ts";
import { askModelForJson, logRejected } from "./model-json.ts";
import type { Prompts } from "./model-prompts.ts";
import { maskPhones } from "./privacy.ts";
import { DISCLAIMER, stripMarkdown } from "./reply-text.ts";

export type AnswerPrompts = Pick<Prompts, "answerSystem">;

/** What the model must return; anything else falls back to the offline answer. */
export const ModelAnswerSchema = z.object({
  answer: z.string().min(1).max(1200),
  /** Empty when the model finds the units do not answer the question (prompt rule 5). */
  citations: z.array(z.string()).max(5),
});
export type ModelAnswer = z.infer<typeof ModelAnswerSchema>;

const CONTEXT_UNITS = 5;
const UNIT_CHARS = 700;

/**
 * Asks the model to answer from the retrieved units only, then checks the
 * reply before it is used: valid JSON of the schema, every citation one of
 * the units it was given, no Markdown, no echo of its instructions. Returns
 * undefined on any failure so the caller sends the offline answer instead.
 */
export async function composeModelAnswer(input: {
  kb: KnowledgeBase;
  model: LanguageModel;
  prompts: AnswerPrompts | undefined;
  result: SearchResult;
  question: string;
  log: EngineLogger;
  timeoutMs: number;
}): Promise<ComposedAnswer | undefined> {
  const { kb, model, prompts, result, log } = input;
  if (!prompts) return undefined;
  const hits = [...selectHits(result), ...result.hits]
    .filter((h, i, all) => all.findIndex((x) => x.key === h.key) === i)
    .slice(0, CONTEXT_UNITS);
  const allowed = new Set(hits.map((h) => h.key));
  const context = hits
    .map((h) => `[${h.key}] ${kb.citation(h.key)}\n${unitText(h.unit).slice(0, UNIT_CHARS)}`)
    .join("\n\n");
  // The model sees the question and the units, nothing else of the conversation, and no phone number.
  const user = `问题：${maskPhones(input.question)}\n\n条文：\n${context}`;

  const parsed = await askModelForJson({
    model,
    system: prompts.answerSystem,
    user,
    schema: ModelAnswerSchema,
    timeoutMs: input.timeoutMs,
    log,
    purpose: "answer",
  });
  if (!parsed) return undefined;
  const fail = (reason: string, detail?: unknown) => {
    logRejected(log, model, "answer", reason, detail);
    return undefined;
  };
  if (parsed.citations.length === 0) {
    // The model says the units do not answer it: the offline answer, which
    // quotes what was found, is the honest reply.
    log.info({ event: "model_no_answer", model: model.name });
    return undefined;
  }
  const unknown = parsed.citations.filter((k) => !allowed.has(k));
  if (unknown.length > 0) return fail("citation_not_retrieved", unknown);
  const answer = stripMarkdown(parsed.answer);
  const leaked = prompts.answerSystem
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 12)
    .some((l) => answer.includes(l.slice(0, 12)));
  if (leaked) return fail("prompt_echo");

  const keys = [...new Set(parsed.citations)];
  const conflicts = conflictsFor(keys);
  for (const c of conflicts)
    if (!keys.includes(c.national) && kb.unit(c.national)) keys.push(c.national);
  const notes = conflicts.map((c) => c.note);
  return {
    segments: [
      { text: `${maskPhones(answer)}\n\n` },
      ...notes.map((n) => ({ text: `${n}\n\n` })),
      { text: `${keys.map((k) => citationLine(kb, k)).join("\n")}\n${DISCLAIMER}` },
    ],
    citations: keys,
  };
}
