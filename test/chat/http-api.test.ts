import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { type RunningServer, startApi } from "../../adapters/chat/http-api.ts";
import { createLogger } from "../../adapters/logging.ts";
import { createEngine } from "../../bot/engine.ts";
import type { Reply } from "../../bot/message.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const KEY = "test-key-0123456789abcdef";
const OTHER_KEY = "second-key-0123456789abcdef";
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

describe("HTTP API on 127.0.0.1", () => {
  const logLines: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  let casebook: Casebook;
  let server: RunningServer;

  beforeAll(async () => {
    casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-api-")), "casebook.sqlite"));
    const engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: casebook,
      conversations: casebook.conversations(),
      logger,
    });
    server = await startApi({
      engine,
      store: casebook.store,
      apiKeys: [KEY, OTHER_KEY],
      logger,
      rateLimits: { perUserPerMinute: 3, perGroupPerMinute: 100 },
      maxBodyBytes: 16 * 1024,
      host: "127.0.0.1",
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    casebook?.close();
    const all = logLines.join("\n");
    expect(all).not.toMatch(PHONE);
    expect(all).not.toContain("物业能停水吗");
  });

  let sender = 0;
  const message = (text: string, extra: Record<string, unknown> = {}) => {
    const id = `u${++sender}`;
    return {
      platform: "api-test",
      conversationId: id,
      chatType: "private",
      senderId: id,
      text,
      ...extra,
    };
  };
  const post = (
    body: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${KEY}` },
  ) =>
    fetch(`${server.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("GET /healthz answers without a key", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("refuses a missing or wrong key with 401 and a Chinese error", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer not-the-key-0123456789" },
      { "x-api-key": `${KEY}x` },
      { authorization: KEY },
    ];
    for (const headers of attempts) {
      const res = await post(message("物业能停水吗"), headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toContain("密钥");
    }
  });

  it("answers a question with the engine's reply (Bearer or X-API-Key)", async () => {
    const res = await post(message("物业能因为我没交物业费给我家停水吗"));
    expect(res.status).toBe(200);
    const reply = (await res.json()) as Reply;
    expect(reply.kind).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.text).toContain("依据：");

    const viaHeader = await post(message("物业能停水吗"), { "x-api-key": OTHER_KEY });
    expect(viaHeader.status).toBe(200);
  });

  it("rejects a malformed body with 400 and says what is wrong, in Chinese", async () => {
    const notJson = await post("{not json");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toBe("请求体不是有效的 JSON");

    const badShape = await post({ platform: "api-test", chatType: "channel", text: 5 });
    expect(badShape.status).toBe(400);
    const { error } = (await badShape.json()) as { error: string };
    expect(error).toContain("请求格式不正确");
    expect(error).toContain("chatType");
    expect(error).toContain("缺少字段 conversationId");
  });

  it("refuses a body over the size limit with 413", async () => {
    const res = await post(message("物".repeat(20_000)));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain("太大");
  });

  it("handles a repeated messageId once and answers the retry with the first reply", async () => {
    const body = message("物业能停水吗", { messageId: "m-1" });
    const first = await post(body);
    expect(first.status).toBe(200);
    const firstReply = await first.json();
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-wuye-duplicate")).toBe("1");
    expect(await again.json()).toEqual(firstReply);
    // Ids are per sender: another resident reusing the id is a new message.
    const other = await post({ ...body, senderId: "someone-else", conversationId: "other" });
    expect(other.status).toBe(200);
    expect(other.headers.get("x-wuye-duplicate")).toBeNull();
  });

  it("limits one sender per minute with 429, without affecting others", async () => {
    const body = message("你好，我电话13912345678");
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(body)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await post(message("你好"))).status).toBe(200);
  });

  it("takes a complaint to the end, the confirm button arriving as an action", async () => {
    const turn = async (body: Record<string, unknown>) => {
      const res = await post({
        platform: "api-test",
        conversationId: "c-1",
        chatType: "private",
        senderId: "c-1",
        ...body,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Reply;
    };
    await turn({ text: "我要投诉：卫东区鹰城花园的电梯坏了一个月没人修" });
    const summary = await turn({ text: "匿名" });
    expect(summary.kind).toBe("complaint_confirm");
    expect(summary.actions).toEqual(["confirm", "cancel"]);
    const filed = await turn({ action: "confirm" });
    expect(filed.kind).toBe("complaint_filed");
    expect(filed.caseNumber).toMatch(/^PDS-\d{8}-\d{4}$/);
    expect(casebook.byNumber(filed.caseNumber ?? "")?.complaint.district).toBe("卫东区");
  });

  it("answers 100 concurrent requests, all with 200", async () => {
    const questions = ["物业能停水吗", "物业费多久公示一次", "你好", "电动车在楼道充电谁管"];
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(message(questions[i % questions.length] ?? ""))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const replies = (await Promise.all(responses.map((r) => r.json()))) as Reply[];
    expect(replies.every((r) => typeof r.text === "string" && r.text.length > 0)).toBe(true);
  });

  it("answers an unknown route with 404 in Chinese", async () => {
    const res = await fetch(`${server.url}/api/nothing`, { headers: { "x-api-key": KEY } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("没有这个接口");
  });
});
