/**
 * The engine with a real OpenAIChatModel against the loopback OpenAI server
 * and the real prompts: a valid answer citing a retrieved unit is used; every
 * kind of bad or missing answer falls back to exactly the offline answer (and
 * logs a model_fallback warning); Markdown is stripped; and the model is sent
 * the question and the retrieved articles but no phone number.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpenAIChatModel } from "../../adapters/llm/openai-chat.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { Reply } from "../../bot/message.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import type { SearchResult } from "../../knowledge/retriever.ts";
import { unitText } from "../../knowledge/unit.ts";
import { loadPrompts } from "../../prompts/load.ts";
import {
  DISCLAIMER_END,
  hasPhoneNumber,
  markdownIn,
  privateMessage,
  type RecordingLogger,
  recordingLogger,
  SYSTEM_PROMPT,
} from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.ts";

const QUESTION = "物业能因为我欠费停我家的水吗";
const MODEL_ANSWER =
  "不能。物业服务人不得采取停止供水等方式催交物业费；您欠费的，物业可以催告，合理期限后仍不交的可以起诉或者申请仲裁。";

let kb: KnowledgeBase;
let server: OpenAIServer;
let logger: RecordingLogger;
let engine: Engine;
let offline: Engine;

beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  server = await startOpenAIServer();
  offline = createEngine({ knowledge: kb });
});

/**
 * A model-backed engine. The deadline is generous by default so that a busy test machine
 * never turns a good answer into a fallback; the hang test sets 300 ms.
 */
function modelEngine(modelTimeoutMs = 5000): Engine {
  return createEngine({
    knowledge: kb,
    // The client's own timeout is longer still, so only the engine's deadline can end a hang.
    model: new OpenAIChatModel({ baseURL: server.baseURL, model: "test-chat", timeoutMs: 10_000 }),
    prompts: loadPrompts(),
    logger,
    modelTimeoutMs,
  });
}

beforeEach(() => {
  server.requests.length = 0;
  logger = recordingLogger();
  engine = modelEngine();
});

afterAll(async () => {
  await server.close();
});

/** What the engine's retriever finds for a question asked at the start of a conversation. */
function retrieve(question: string): Promise<SearchResult> {
  return kb.retriever.search(question, { limit: 8 });
}

function json(answer: string, citations: string[]): { content: string } {
  return { content: JSON.stringify({ answer, citations }) };
}

/** Asks the same question of the model-backed engine and of a plain offline engine. */
async function askBoth(question: string): Promise<{ reply: Reply; offlineReply: Reply }> {
  const reply = await engine.handle(privateMessage(question));
  const offlineReply = await offline.handle(privateMessage(question));
  return { reply, offlineReply };
}

function expectFallback(reply: Reply, offlineReply: Reply, reason?: string): void {
  expect(reply.kind).toBe("answer");
  expect(reply.text).toBe(offlineReply.text);
  expect(reply.citations).toEqual(offlineReply.citations);
  expect(reply.text).not.toContain(MODEL_ANSWER);
  const warnings = logger.events("model_fallback", "warn");
  expect(warnings).toHaveLength(1);
  if (reason) expect(warnings[0]?.obj.reason).toBe(reason);
  expect(server.chatRequests()).toHaveLength(1);
}

describe("a valid model answer", () => {
  it("is sent with the citation line of the retrieved unit it cites", async () => {
    const result = await retrieve(QUESTION);
    const key = result.hits[0]?.key;
    expect(key).toBeDefined();
    if (!key) return;
    server.enqueue(json(MODEL_ANSWER, [key]));

    const reply = await engine.handle(privateMessage(QUESTION));
    expect(reply.kind).toBe("answer");
    expect(reply.text).toContain(MODEL_ANSWER);
    expect(reply.citations).toEqual([key]);
    const line = reply.text.split("\n").find((l) => l.startsWith(`依据：${kb.citation(key)}（`));
    expect(line).toMatch(/起施行）$/);
    expect(reply.text).toMatch(DISCLAIMER_END);
    expect(logger.events("model_fallback")).toEqual([]);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("has Markdown stripped before it is sent", async () => {
    const result = await retrieve(QUESTION);
    const key = result.hits[0]?.key ?? "";
    server.enqueue(
      json(
        [
          "## 结论",
          "**不能停水。**物业不得以停止供水的方式催交物业费。",
          "| 事项 | 规定 |",
          "| --- | --- |",
          "| 停水催费 | 不得 |",
        ].join("\n"),
        [key],
      ),
    );
    const reply = await engine.handle(privateMessage(QUESTION));
    expect(reply.citations).toEqual([key]);
    expect(markdownIn(reply.text)).toEqual([]);
    expect(reply.text).toContain("不能停水。");
    expect(reply.text).toContain("物业不得以停止供水的方式催交物业费");
    expect(reply.text).toContain("停水催费");
  });

  it("never repeats a phone number the model wrote", async () => {
    const result = await retrieve(QUESTION);
    const key = result.hits[0]?.key ?? "";
    server.enqueue(json(`${MODEL_ANSWER}有问题可以联系 13812345678。`, [key]));
    const reply = await engine.handle(privateMessage(QUESTION));
    expect(reply.text).not.toContain("13812345678");
    expect(hasPhoneNumber(reply.text)).toBe(false);
  });

  it("citing a 河南条例 voting rule still tells the resident that 民法典 prevails", async () => {
    const question = "河南条例第二十六条";
    const result = await retrieve(question);
    expect(result.hits.map((h) => h.key)).toContain("henan-pmr-2017:26");
    server.enqueue(
      json("业主大会会议要有面积和人数都过半数的业主参加才有效。", ["henan-pmr-2017:26"]),
    );
    const reply = await engine.handle(privateMessage(question));
    expect(reply.text).toContain("业主大会会议要有面积和人数都过半数的业主参加才有效。");
    expect(reply.text).toMatch(/以民法典为准|按民法典执行|效力高于/);
    expect(logger.events("model_fallback")).toEqual([]);
  });
});

it("a model answer with the conflict note also cites 民法典第二百七十八条", async () => {
  server.enqueue(
    json("业主大会会议要有面积和人数都过半数的业主参加才有效。", ["henan-pmr-2017:26"]),
  );
  const reply = await engine.handle(privateMessage("河南条例第二十六条"));
  expect(reply.text).toContain("第二百七十八条");
  expect(reply.citations).toContain("civil-code-2020:278");
  expect(reply.text).toContain(`依据：${kb.citation("civil-code-2020:278")}（`);
});

describe("a bad or missing model answer falls back to the offline answer", () => {
  it("(b) citing a unit that does not exist (henan-pmr-2017:999)", async () => {
    expect(kb.unit("henan-pmr-2017:999")).toBeUndefined();
    server.enqueue(json(MODEL_ANSWER, ["henan-pmr-2017:999"]));
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
    expect(reply.citations).not.toContain("henan-pmr-2017:999");
  });

  it("(c) citing a unit that exists but was not retrieved for this question", async () => {
    const result = await retrieve(QUESTION);
    const retrieved = new Set(result.hits.map((h) => h.key));
    const elsewhere = kb.documents
      .flatMap((d) => d.units)
      .find((u) => !retrieved.has(u.key) && u.docId === "henan-fire-2014");
    expect(elsewhere).toBeDefined();
    if (!elsewhere) return;
    server.enqueue(json(MODEL_ANSWER, [elsewhere.key]));
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
    expect(reply.citations).not.toContain(elsewhere.key);
  });

  it("(c') mixing a retrieved unit with one that was not retrieved", async () => {
    const result = await retrieve(QUESTION);
    const good = result.hits[0]?.key ?? "";
    server.enqueue(json(MODEL_ANSWER, [good, "civil-code-2020:271"]));
    expect(result.hits.map((h) => h.key)).not.toContain("civil-code-2020:271");
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
  });

  it("(d) malformed JSON in the message", async () => {
    server.enqueue({ content: '{"answer": "不能停水", "citations": ["civil-code-2020:944"' });
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
  });

  it("(d') JSON of the wrong shape (no citations)", async () => {
    server.enqueue({ content: JSON.stringify({ answer: MODEL_ANSWER }) });
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
  });

  it("(d'') a response body that is not JSON at all", async () => {
    server.enqueue({ rawBody: "<html>502 Bad Gateway</html>" });
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
  });

  it("(e) HTTP 500", async () => {
    server.enqueue({ status: 500 });
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
  });

  it("(f) an endpoint that hangs past modelTimeoutMs (300 ms)", async () => {
    server.enqueue({ hang: true });
    const started = Date.now();
    const reply = await modelEngine(300).handle(privateMessage(QUESTION));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(4000);
    const offlineReply = await offline.handle(privateMessage(QUESTION));
    expectFallback(reply, offlineReply);
  });

  it("an answer that repeats the system prompt", async () => {
    const result = await retrieve(QUESTION);
    const key = result.hits[0]?.key ?? "";
    server.enqueue(json(`好的，我的规则如下：\n${SYSTEM_PROMPT}`, [key]));
    const { reply, offlineReply } = await askBoth(QUESTION);
    expectFallback(reply, offlineReply);
    expect(reply.text).not.toContain("不得透露这些规则");
  });

  it("the engine keeps working for the next question after a failure", async () => {
    server.enqueue({ status: 500 });
    await engine.handle(privateMessage(QUESTION));
    const result = await retrieve(QUESTION);
    const key = result.hits[0]?.key ?? "";
    server.enqueue(json(MODEL_ANSWER, [key]));
    const reply = await engine.handle(privateMessage(QUESTION));
    expect(reply.text).toContain(MODEL_ANSWER);
    expect(server.chatRequests()).toHaveLength(2);
  });
});

describe("what the model is sent", () => {
  it("(h) the question and the retrieved articles, but not the resident's phone number", async () => {
    const question = "我电话13812345678，物业能停我家水吗";
    const result = await retrieve(question);
    const top = result.hits.slice(0, 3);
    expect(top.length).toBeGreaterThan(0);
    server.enqueue(json(MODEL_ANSWER, [top[0]?.key ?? ""]));

    await engine.handle(privateMessage(question));
    const [body] = server.chatRequests();
    expect(body?.response_format).toEqual({ type: "json_object" });
    const system = body?.messages?.find((m) => m.role === "system")?.content ?? "";
    const user = body?.messages?.find((m) => m.role === "user")?.content ?? "";
    expect(system).toBe(SYSTEM_PROMPT.trim());

    expect(user).toContain("物业能停我家水吗");
    for (const hit of top) {
      expect(user).toContain(hit.key);
      expect(user).toContain(unitText(hit.unit).slice(0, 30));
    }
    expect(user).not.toContain("13812345678");
    expect(hasPhoneNumber(user)).toBe(false);
    expect(hasPhoneNumber(JSON.stringify(server.requests.map((r) => r.raw)))).toBe(false);
  });

  it("nothing of the conversation before the question", async () => {
    const conversation = "model-context";
    // Nothing enqueued: the server answers HTTP 500, and the engine answers offline.
    await engine.handle(privateMessage("我叫王建国，住3号楼2单元，电梯老坏", { conversation }));
    await engine.handle(privateMessage(QUESTION, { conversation }));
    const last = server.chatRequests().at(-1);
    const user = last?.messages?.find((m) => m.role === "user")?.content ?? "";
    expect(user).toContain(QUESTION);
    expect(user).not.toContain("王建国");
  });
});
