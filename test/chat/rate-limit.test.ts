import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createChannelRuntime, RATE_NOTICE } from "../../adapters/chat/channel-runtime.ts";
import { createLogger } from "../../adapters/logging.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingPort } from "../helpers/recording-port.ts";

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

describe("rate limits through the channel runtime", () => {
  const logLines: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  let casebook: Casebook;
  let engine: Engine;

  beforeAll(async () => {
    casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-rl-")), "casebook.sqlite"));
    engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: casebook,
      conversations: casebook.conversations(),
      logger,
    });
  });
  afterAll(() => {
    casebook.close();
    expect(logLines.join("\n")).not.toMatch(PHONE);
  });

  it("gives one user at most the configured replies plus one notice, and still answers another", async () => {
    const port = recordingPort();
    const { sent } = port;
    const runtime = createChannelRuntime({
      engine,
      store: casebook.store,
      port,
      logger,
      perUserPerMinute: 5,
      perGroupPerMinute: 1000,
    });
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        runtime.handle({
          platform: "fake",
          conversationId: "dm:flood",
          chatType: "private",
          senderId: "flood",
          messageId: `flood-${i}`,
          text: i % 2 ? "物业能停水吗" : "你好，我电话13912345678",
        }),
      ),
    );
    const toFlooder = sent.filter((s) => s.conversationId === "dm:flood");
    const notices = toFlooder.filter((s) => s.text === RATE_NOTICE);
    expect(notices).toHaveLength(1);
    expect(toFlooder.length - notices.length).toBeLessThanOrEqual(5);
    expect(toFlooder.length - notices.length).toBeGreaterThan(0);

    await runtime.handle({
      platform: "fake",
      conversationId: "dm:calm",
      chatType: "private",
      senderId: "calm",
      messageId: "calm-1",
      text: "物业能停水吗",
    });
    const toCalm = sent.filter((s) => s.conversationId === "dm:calm");
    expect(toCalm).toHaveLength(1);
    expect(toCalm[0]?.text).toContain("依据：");
    await runtime.shutdown();
  });

  it("limits a whole group the same way, with one notice to the group", async () => {
    const port = recordingPort();
    const { sent } = port;
    const runtime = createChannelRuntime({
      engine,
      store: casebook.store,
      port,
      logger,
      perUserPerMinute: 1000,
      perGroupPerMinute: 8,
    });
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        runtime.handle({
          platform: "fake",
          conversationId: "group:busy",
          chatType: "group",
          senderId: `member-${i}`,
          messageId: `busy-${i}`,
          text: "你好",
        }),
      ),
    );
    const toGroup = sent.filter((s) => s.conversationId === "group:busy");
    expect(toGroup.filter((s) => s.text === RATE_NOTICE)).toHaveLength(1);
    expect(toGroup.filter((s) => s.text !== RATE_NOTICE).length).toBeLessThanOrEqual(8);
    await runtime.shutdown();
  });
});
