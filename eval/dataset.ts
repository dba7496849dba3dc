import { readFileSync } from "node:fs";
import { z } from "zod";
import { CATEGORIES, DISTRICTS, URGENCIES } from "../bot/complaint.ts";

/** A question item (CONTRACTS §3). */
export const QuestionItemSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  kind: z.enum(["answerable", "out_of_scope", "adversarial"]),
  gold: z.array(z.string()).default([]),
  facts: z.array(z.string()).default([]),
  persona: z.string().optional(),
  topic: z.string().optional(),
});
export type QuestionItem = z.infer<typeof QuestionItemSchema>;

/** A complaint conversation item (CONTRACTS §3, fields of §4). */
export const ComplaintItemSchema = z.object({
  id: z.string().min(1),
  turns: z.array(z.string()).min(1),
  expected: z.object({
    category: z.enum(CATEGORIES),
    district: z.enum(DISTRICTS).nullable(),
    community: z.string().nullable(),
    urgency: z.enum(URGENCIES),
    anonymous: z.boolean(),
    legal_basis: z.array(z.string()).default([]),
  }),
});
export type ComplaintItem = z.infer<typeof ComplaintItemSchema>;

/** What one dialogue turn's reply must show (CONTRACTS §3); every key optional, all must hold. */
export const TurnExpectSchema = z
  .object({
    kinds: z.array(z.string()).min(1).optional(),
    not_kinds: z.array(z.string()).optional(),
    cites_any: z.array(z.string()).min(1).optional(),
    contains_all: z.array(z.string()).optional(),
    contains_any: z.array(z.string()).min(1).optional(),
    not_contains: z.array(z.string()).optional(),
    max_chars: z.number().int().positive().optional(),
    private: z.boolean().optional(),
    english: z.boolean().optional(),
    first_chars: z
      .object({ n: z.number().int().positive(), contains_any: z.array(z.string()).min(1) })
      .strict()
      .optional(),
    at_least: z
      .object({ n: z.number().int().positive(), of: z.array(z.string()).min(1) })
      .strict()
      .optional(),
  })
  // An unknown key is a typo that would silently check nothing.
  .strict();
export type TurnExpect = z.infer<typeof TurnExpectSchema>;

export const DialogueItemSchema = z.object({
  id: z.string().min(1),
  chat: z.enum(["private", "group"]),
  group: z.object({ community: z.string().optional(), district: z.string().optional() }).optional(),
  note: z.string().optional(),
  turns: z.array(z.object({ text: z.string(), expect: TurnExpectSchema.default({}) })).min(1),
});
export type DialogueItem = z.infer<typeof DialogueItemSchema>;

export interface Dataset {
  questions: QuestionItem[];
  complaints: ComplaintItem[];
  dialogues: DialogueItem[];
  /** Which file each item id came from, so failures of held-out files can be withheld. */
  fileOf: Map<string, string[]>;
}

function schemaFor(raw: unknown) {
  if (typeof raw !== "object" || raw === null || !("turns" in raw)) return "question" as const;
  const turns = (raw as { turns: unknown }).turns;
  // CONTRACTS §3: turns of plain strings are a complaint conversation; turns with expectations a dialogue.
  return Array.isArray(turns) && turns.some((t) => typeof t === "object" && t !== null)
    ? ("dialogue" as const)
    : ("complaint" as const);
}

/** Reads JSONL files; a bad line stops the run with its file and line number. */
export function loadDataset(files: string[]): Dataset {
  const out: Dataset = { questions: [], complaints: [], dialogues: [], fileOf: new Map() };
  for (const file of files) {
    readFileSync(file, "utf8")
      .split(/\r?\n/)
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const where = `${file}:${i + 1}`;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          throw new Error(`${where}: 不是合法的 JSON`);
        }
        const which = schemaFor(raw);
        const schema = {
          question: QuestionItemSchema,
          complaint: ComplaintItemSchema,
          dialogue: DialogueItemSchema,
        }[which];
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(`${where}: ${issue?.path.join(".")} ${issue?.message}`);
        }
        const item = parsed.data as { id: string };
        out.fileOf.set(item.id, [...(out.fileOf.get(item.id) ?? []), file]);
        if (which === "question") out.questions.push(parsed.data as QuestionItem);
        else if (which === "complaint") out.complaints.push(parsed.data as ComplaintItem);
        else out.dialogues.push(parsed.data as DialogueItem);
      });
  }
  return out;
}
