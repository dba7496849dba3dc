/**
 * The real engine filing into a real Casebook on a SQLite file in a fresh
 * temporary folder, set up before a test file's cases and removed after.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "./knowledge.ts";

export function useCasebookEngine(prefix: string): { engine(): Engine; casebook(): Casebook } {
  let dir = "";
  let casebook: Casebook | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `wuye-${prefix}-`));
    casebook = new Casebook(join(dir, "cases.sqlite"));
    engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: casebook,
      conversations: casebook.conversations(),
    });
  });
  afterAll(() => {
    casebook?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the engine is set up in beforeAll");
    return value;
  };
  return { engine: () => ready(engine), casebook: () => ready(casebook) };
}
