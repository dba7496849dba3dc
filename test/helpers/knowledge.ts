import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KnowledgeBase, openKnowledgeBase } from "../../knowledge/knowledge-base.ts";

let shared: Promise<KnowledgeBase> | undefined;

/** The shipped sources, indexed once per test worker into a temporary folder. */
export function shippedKnowledgeBase(): Promise<KnowledgeBase> {
  shared ??= openKnowledgeBase({ indexDir: mkdtempSync(join(tmpdir(), "wuye-kb-")) });
  return shared;
}

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
