/**
 * A configured model as a second reader: it fills complaint fields the rules
 * missed and rescues questions the rules would turn away, and everything it
 * says is checked (schema, words the resident really wrote) before use.
 * Real OpenAIChatModel against the loopback OpenAI-compatible server.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { OpenAIChatModel } from "../../adapters/llm/openai-chat.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import { loadPrompts } from "../../prompts/load.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingLogger } from "../helpers/logging.ts";
import {
  type OpenAIServer,
  type RecordedBody,
  startOpenAIServer,
} from "../helpers/openai-server.ts";

const prompts = loadPrompts();
let server: OpenAIServer;
let casebook: Casebook;
let n = 0;

/** What the scripted model says, by which prompt it was given. */
let fields: unknown = null;
let intent: unknown = null;
const systemOf = (body: RecordedBody) =>
  body.messages?.find((m) => m.role === "system")?.content ?? "";

beforeAll(async () => {
  server = await startOpenAIServer();
  casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-model-intake-")), "cases.sqlite"));
  server.script((body) => {
    const system = systemOf(body);
    if (system === prompts.complaintSystem && fields !== null)
      return { content: JSON.stringify(fields) };
    if (system === prompts.intentSystem && intent !== null)
      return { content: JSON.stringify(intent) };
    return { status: 500 }; // answers fall back to the offline answerer
  });
});
afterAll(async () => {
  casebook.close();
  await server.close();
});
beforeEach(() => {
  fields = null;
  intent = null;
});

async function engineWithModel() {
  const log = recordingLogger();
  const engine: Engine = createEngine({
    knowledge: await shippedKnowledgeBase(),
    desk: casebook,
    model: new OpenAIChatModel({ baseURL: server.baseURL, model: "test-chat", timeoutMs: 10_000 }),
    prompts,
    modelTimeoutMs: 5_000,
    logger: log,
  });
  const sender = `resident-${++n}`;
  const say = (text: string) =>
    engine.handle({
      platform: "test",
      conversationId: sender,
      chatType: "private",
      senderId: sender,
      text,
    });
  return { engine, log, say, draft: async () => (await engine.draftFor("test", sender))?.draft };
}

const base = {
  category: "service_quality",
  district: null,
  community: null,
  urgency: "normal",
  anonymous: false,
  location: null,
  company: null,
  occurredAt: null,
};

describe("complaint fields from a model", () => {
  it("fills a community the rules could not read, when the resident really wrote it", async () => {
    const { say, draft } = await engineWithModel();
    fields = { ...base, community: "东方明珠", company: "恒安物业" };
    await say("我们东方明珠那边，恒安物业半年都不修电梯，天天爬楼");
    expect((await draft())?.community).toBe("东方明珠");
    expect((await draft())?.company).toBe("恒安物业");
  });

  it("ignores a community the resident never wrote", async () => {
    const { say, draft } = await engineWithModel();
    fields = { ...base, community: "幸福花园" };
    await say("物业半年都不修电梯，天天爬楼，没人管");
    expect((await draft())?.community).toBeNull();
  });

  it("never overrides what the rules read, and never lowers urgency", async () => {
    const { say, draft } = await engineWithModel();
    fields = { ...base, district: "湛河区", urgency: "normal" };
    await say("卫东区香山名苑楼道里电动车着火了！！烟好大");
    expect((await draft())?.district).toBe("卫东区");
    expect((await draft())?.urgency).toBe("emergency");
  });

  it("falls back to the rules when the model's fields fail the schema", async () => {
    const { say, draft, log } = await engineWithModel();
    fields = { ...base, district: "郑州市" };
    await say("我们东方明珠那边，物业半年都不修电梯，天天爬楼");
    expect((await draft())?.district).toBeNull();
    expect(
      log.lines.some(
        (l) => l.obj.event === "model_fallback" && l.obj.purpose === "complaint_fields",
      ),
    ).toBe(true);
  });
});

describe("questions the rules would turn away", () => {
  const question = "家里插座老是松，这个能找谁解决";

  it("are answered from the sources when the model reads them as a question", async () => {
    const { say } = await engineWithModel();
    intent = { intent: "question" };
    const reply = await say(question);
    expect(reply.kind).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it("stay out of scope when the model agrees, or answers nonsense", async () => {
    const { say } = await engineWithModel();
    intent = { intent: "out_of_scope" };
    expect((await say(question)).kind).toBe("out_of_scope");
    intent = { intent: "weather" };
    expect((await say(`${question}？`)).kind).toBe("out_of_scope");
  });
});
