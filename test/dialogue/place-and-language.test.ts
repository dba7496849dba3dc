/**
 * Place and language (issue 9, point 5): a question naming another province
 * is told what the bot holds and answered from national rules only; an
 * English question gets English back — offline a short English note before
 * the Chinese answer, with a model the answer itself in English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIChatModel } from "../../adapters/llm/openai-chat.ts";
import { createEngine } from "../../bot/engine.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { loadPrompts } from "../../prompts/load.ts";
import { privateMessage } from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.ts";

let kb: KnowledgeBase;
let server: OpenAIServer;

beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  server = await startOpenAIServer();
});
afterAll(async () => {
  await server.close();
});

const national = (key: string) => kb.document(key.split(":")[0] ?? "")?.jurisdiction === "全国";
const anEnglishSentence = /[A-Z][a-z]+[:,]?(?: [a-zA-Z',;:-]+){3,}[.!?]/;

describe("a question about another province", () => {
  it("says which rules the bot holds and cites national units only", async () => {
    const engine = createEngine({ knowledge: kb });
    const reply = await engine.handle(privateMessage("杭州那边业主大会开会要多少人同意才算数？"));
    expect(reply.kind).toBe("answer");
    expect(reply.text).toContain("杭州");
    expect(reply.text).toContain("河南");
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.citations.every(national)).toBe(true);
  });

  it("answers a question about a Henan city like any local question", async () => {
    const engine = createEngine({ knowledge: kb });
    const reply = await engine.handle(privateMessage("洛阳的小区物业能不能因为欠费断电？"));
    expect(reply.kind).toBe("answer");
    expect(reply.text).not.toContain("没有洛阳的地方规定");
  });
});

describe("a question in English", () => {
  it("offline: an English note first, then the cited Chinese answer", async () => {
    const engine = createEngine({ knowledge: kb });
    const reply = await engine.handle(
      privateMessage(
        "Is the property management company allowed to cut off my electricity if I have not paid the fee?",
      ),
    );
    expect(reply.kind).toBe("answer");
    expect(reply.text.split("\n")[0]).toMatch(anEnglishSentence);
    expect(reply.text).toMatch(/\p{Script=Han}/u);
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  // Each question names its topic only in English; the unit that governs it must be cited.
  it.each([
    [
      "Somebody dropped a flower pot from an upper floor and it dented my car.",
      "civil-code-2020:1254",
    ],
    ["What is the city's rectification campaign about?", "pds-plan-2024:"],
    [
      "Can the management company stop my water supply because I owe them money?",
      "civil-code-2020:944",
    ],
  ])("offline: %s is searched through the English glossary", async (question, key) => {
    const engine = createEngine({ knowledge: kb });
    const reply = await engine.handle(privateMessage(question));
    expect(reply.kind).toBe("answer");
    expect(reply.citations.some((k) => k.startsWith(key))).toBe(true);
  });

  it("with a model: the model is asked in English and its English answer is sent without the note", async () => {
    const engine = createEngine({
      knowledge: kb,
      model: new OpenAIChatModel({
        baseURL: server.baseURL,
        model: "test-chat",
        timeoutMs: 10_000,
      }),
      prompts: loadPrompts(),
      modelTimeoutMs: 5000,
    });
    const question = "Can the owners' committee use the maintenance fund for an urgent roof leak?";
    const probe = await kb.retriever.search("业主委员会 专项维修资金 屋面 渗漏 紧急", { limit: 8 });
    server.script(() => ({
      content: JSON.stringify({
        answer: "Yes. In an emergency the owners' committee may apply to use the maintenance fund.",
        citations: [probe.hits[0]?.key],
      }),
    }));
    const reply = await engine.handle(privateMessage(question));
    const sent = server.chatRequests().at(-1)?.messages?.at(-1)?.content ?? "";
    expect(sent).toContain(question);
    expect(reply.text).toContain("Yes. In an emergency");
    expect(reply.text).not.toContain("answer below is in Chinese");
  });
});
