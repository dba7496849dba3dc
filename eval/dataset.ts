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

export interface Dataset {
  questions: QuestionItem[];
  complaints: ComplaintItem[];
}

/** Reads JSONL files; a bad line stops the run with its file and line number. */
export function loadDataset(files: string[]): Dataset {
  const out: Dataset = { questions: [], complaints: [] };
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
        const isComplaint = typeof raw === "object" && raw !== null && "turns" in raw;
        const parsed = (isComplaint ? ComplaintItemSchema : QuestionItemSchema).safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(`${where}: ${issue?.path.join(".")} ${issue?.message}`);
        }
        if (isComplaint) out.complaints.push(parsed.data as ComplaintItem);
        else out.questions.push(parsed.data as QuestionItem);
      });
  }
  return out;
}
