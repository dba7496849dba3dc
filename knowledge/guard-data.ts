/**
 * What the input guard declines and what merely looks like it, for the guard
 * model: reviewed requests to decline (knowledge/guard/declined.jsonl, by
 * kind) against reviewed look-alikes the bot must answer or file
 * (knowledge/guard/benign.jsonl) and every resident sentence the scope model
 * already reads, on topic or not: none of those asks the bot to do harm.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadScopeExamples } from "./scope-data.ts";

export const GUARD_KINDS = [
  "injection",
  "fabrication",
  "personal_data",
  "abuse",
  "unlawful",
] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

export const DECLINED_FILE = fileURLToPath(new URL("./guard/declined.jsonl", import.meta.url));
export const BENIGN_FILE = fileURLToPath(new URL("./guard/benign.jsonl", import.meta.url));

const DeclinedSchema = z.object({ text: z.string().min(1).max(400), kind: z.enum(GUARD_KINDS) });
const BenignSchema = z.object({ text: z.string().min(1).max(400), kind: z.literal("ok") });

function jsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const parsed = schema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface GuardExamples {
  declined: { text: string; kind: GuardKind }[];
  benign: string[];
}

export function loadGuardExamples(
  files: { declined?: string; benign?: string } = {},
): GuardExamples {
  const scope = loadScopeExamples();
  return {
    declined: jsonl(files.declined ?? DECLINED_FILE, DeclinedSchema),
    benign: [
      ...jsonl(files.benign ?? BENIGN_FILE, BenignSchema).map((l) => l.text),
      ...scope.inScope,
      ...scope.offTopic,
    ],
  };
}
