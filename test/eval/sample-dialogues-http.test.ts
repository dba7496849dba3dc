import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { type RunningServer, startApi } from "../../adapters/chat/http-api.ts";
import { createEngine } from "../../bot/engine.ts";
import { silentLogger } from "../../bot/logger.ts";
import type { Reply } from "../../bot/message.ts";
import { loadDataset } from "../../eval/dataset.ts";
import { checkTurn, withCase } from "../../eval/dialogue-check.ts";
import { dialogueMessage } from "../../eval/dialogue-eval.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const SAMPLE = new URL("../../../shared/eval-samples/dialogues.sample.jsonl", import.meta.url)
  .pathname;
const KEY = "eval-sample-key-0123456789";
const dialogues = existsSync(SAMPLE) ? loadDataset([SAMPLE]).dialogues : [];

/**
 * The shared sample dialogues, driven the way outside checks drive the bot:
 * over the HTTP API (CONTRACTS §6) on 127.0.0.1, with a real SQLite casebook,
 * each turn checked by the same checker the eval runner uses.
 */
describe.skipIf(dialogues.length === 0)("the shared sample dialogues over the HTTP API", () => {
  let casebook: Casebook;
  let server: RunningServer;

  beforeAll(async () => {
    casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-eval-api-")), "casebook.sqlite"));
    const engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: casebook,
      conversations: casebook.conversations(),
    });
    server = await startApi({
      engine,
      store: casebook.store,
      apiKeys: [KEY],
      logger: silentLogger,
      host: "127.0.0.1",
      port: 0,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    casebook?.close();
  });

  it("reads all six sample dialogues", () => {
    expect(dialogues.length).toBe(6);
  });

  it.each(dialogues.map((d) => [d.id, d] as const))(
    "%s holds turn by turn",
    async (_id, dialogue) => {
      let lastCase: string | undefined;
      const problems: string[] = [];
      for (const [i, turn] of dialogue.turns.entries()) {
        const body = dialogueMessage(dialogue, withCase(turn.text, lastCase), "http-eval");
        const res = await fetch(`${server.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
          body: JSON.stringify(body),
        });
        expect(res.status, `turn ${i + 1}`).toBe(200);
        const reply = (await res.json()) as Reply;
        if (reply.caseNumber) lastCase = reply.caseNumber;
        for (const p of checkTurn(turn.expect, reply, lastCase))
          problems.push(`turn ${i + 1} (${reply.kind}): ${p}`);
      }
      expect(problems).toEqual([]);
    },
  );
});
