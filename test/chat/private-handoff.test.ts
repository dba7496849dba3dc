import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createChannelRuntime } from "../../adapters/chat/channel-runtime.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingLogger } from "../helpers/logging.ts";
import { recordingPort } from "../helpers/recording-port.ts";

describe("a complaint moved from a group to a private chat the platform will not open", () => {
  let casebook: Casebook;
  let engine: Engine;
  const log = recordingLogger();

  beforeAll(async () => {
    casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-handoff-")), "casebook.sqlite"));
    engine = createEngine({ knowledge: await shippedKnowledgeBase(), desk: casebook, logger: log });
  });
  afterAll(() => casebook.close());

  it("tells the resident in the group how to open the private chat, without failing", async () => {
    const port = recordingPort({ refusePrivate: true });
    const { sent } = port;
    const runtime = createChannelRuntime({ engine, store: casebook.store, port, logger: log });
    await runtime.handle({
      platform: "fake",
      conversationId: "group-1",
      chatType: "group",
      senderId: "member-1",
      messageId: "m-1",
      text: "小区电梯坏了半个月了没人修，物业一直不管",
    });
    const groupTexts = sent.filter((o) => o.conversationId === "group-1").map((o) => o.text);
    expect(groupTexts).toHaveLength(2);
    expect(groupTexts[1]).toMatch(/添加我为好友/);
    expect(sent.every((o) => o.chatType === "group")).toBe(true);
    // The intake waits in the member's private conversation for when they write.
    expect((await engine.draftFor("fake", "member-1"))?.stage).toBe("collecting");
  });
});
