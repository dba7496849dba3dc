import { readFileSync } from "node:fs";
import type { AnswerPrompts } from "../bot/answer-model.ts";

/** Prompt templates live as files so they can be reviewed and changed without touching code. */
export function loadPrompts(dir: URL = new URL("./", import.meta.url)): AnswerPrompts {
  return { answerSystem: readFileSync(new URL("answer.system.md", dir), "utf8").trim() };
}
