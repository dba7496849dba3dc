import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CaseStore } from "../../adapters/cases/case-store.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createMessageGate, storeBindings } from "../../adapters/chat/message-gate.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { IncomingMessage } from "../../bot/message.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingLogger } from "../helpers/logging.ts";

/**
 * A crash at each point of handling "确认", simulated in one process: the store "dies" (throws)
 * right after the case is filed, or right after the commit; a second gate (another process on
 * the same casebook) then gets the same message again.
 */
let dir: string;
let path: string;
const books: Casebook[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "wuye-gate-"));
  path = join(dir, "casebook.sqlite");
});

afterEach(() => {
  for (const b of books.splice(0)) b.close();
  rmSync(dir, { recursive: true, force: true });
});

async function process_(crash?: "after_filing" | "after_commit") {
  const book = new Casebook(path, ["open311"], undefined, { busyTimeoutMs: 0 });
  books.push(book);
  const real = book.store;
  let armed = false;
  // The same store, except that it dies at the chosen point (once).
  const store: CaseStore = Object.create(real);
  store.file = async (...args) => {
    const filed = await real.file(...args);
    if (crash === "after_filing" && armed) {
      armed = false;
      throw new Error("SIGKILL");
    }
    return filed;
  };
  store.commitMessage = async (...args) => {
    await real.commitMessage(...args);
    if (crash === "after_commit" && armed) {
      armed = false;
      throw new Error("SIGKILL");
    }
  };
  const bindings = storeBindings(store);
  const engine: Engine = createEngine({
    knowledge: await shippedKnowledgeBase(),
    desk: bindings.desk,
    conversations: bindings.conversations,
  });
  return {
    book,
    gate: createMessageGate({ engine, store, logger: recordingLogger() }),
    /** The next filing (or commit) is the one the process dies in. */
    arm: () => {
      armed = true;
    },
  };
}

const say = (seq: number, text: string): IncomingMessage => ({
  platform: "app",
  conversationId: "dm-r1",
  chatType: "private",
  senderId: "r1",
  messageId: `m${seq}`,
  text,
});

async function toConfirmation(gate: Awaited<ReturnType<typeof process_>>["gate"]) {
  let seq = 0;
  let out = await gate.handle(say(seq, "我要投诉，新华区鹰城花园物业一直不修电梯"));
  while (out.kind === "reply" && out.reply.kind === "complaint_question") {
    seq++;
    out = await gate.handle(say(seq, "匿名"));
  }
  expect(out.kind === "reply" && out.reply.kind).toBe("complaint_confirm");
  return seq + 1;
}

describe.each(["after_filing", "after_commit"] as const)(
  "a process dying %s while handling 确认",
  (crash) => {
    it("leaves exactly one case, and the resent message gets its number", async () => {
      const a = await process_(crash);
      const b = await process_();
      const seq = await toConfirmation(a.gate);
      a.arm();
      await expect(a.gate.handle(say(seq, "确认"))).rejects.toThrow("SIGKILL");
      const count = () =>
        (a.book.db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;
      expect(count()).toBe(1);

      const again = await b.gate.handle(say(seq, "确认"));
      expect(again.kind).toBe("reply");
      if (again.kind !== "reply") return;
      expect(again.reply.kind).toBe("complaint_filed");
      expect(again.duplicate).toBe(crash === "after_commit");
      const only = a.book.db.prepare("SELECT number FROM cases").get() as { number: string };
      expect(again.reply.caseNumber).toBe(only.number);
      expect(count()).toBe(1);
      expect(a.book.outboxFor(a.book.byNumber(only.number)?.id ?? "")).toHaveLength(1);

      // Yet another resend, to either process: still that one case.
      const third = await a.gate.handle(say(seq, "确认"));
      expect(third.kind === "reply" && third.reply.caseNumber).toBe(only.number);
      expect(count()).toBe(1);
    });
  },
);
