import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CATEGORIES, URGENCIES } from "../complaint.ts";

/**
 * Reads the reviewed training sentences. File I/O, so only the CLI and the
 * tests use it; the bot itself loads the model built from them.
 */

export const TRAINING_DIR = fileURLToPath(
  new URL("../../knowledge/intake/training/", import.meta.url),
);
export const MODEL_FILE = fileURLToPath(
  new URL("../../knowledge/intake/model.json", import.meta.url),
);

export const TrainingLineSchema = z.object({
  text: z.string().min(1).max(400),
  category: z.enum(CATEGORIES),
  urgency: z.enum(URGENCIES),
});
export type TrainingLine = z.infer<typeof TrainingLineSchema>;

export function readTrainingSet(dir = TRAINING_DIR): TrainingLine[] {
  const out: TrainingLine[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const parsed = TrainingLineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
        out.push(parsed.data);
      });
  }
  return out;
}
