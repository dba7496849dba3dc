import { readFileSync } from "node:fs";
import type { Prompts } from "../bot/model-prompts.ts";

/** Prompt templates live as files so they can be reviewed and changed without touching code. */
export function loadPrompts(dir: URL = new URL("./", import.meta.url)): Prompts {
  const read = (name: string) => readFileSync(new URL(name, dir), "utf8").trim();
  return {
    answerSystem: read("answer.system.md"),
    complaintSystem: read("complaint.system.md"),
    intentSystem: read("intent.system.md"),
  };
}
