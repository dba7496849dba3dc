import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAIChatModel } from "../../adapters/llm/openai-chat.ts";
import { LanguageModelError } from "../../bot/language-model.ts";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.ts";

let server: OpenAIServer;
let model: OpenAIChatModel;

beforeEach(async () => {
  server = await startOpenAIServer();
  model = new OpenAIChatModel({ baseURL: server.baseURL, model: "test-chat", timeoutMs: 5000 });
});

afterEach(async () => {
  await server.close();
});

const ask = { system: "你是物业助手。", user: "电梯坏了谁来修？", timeoutMs: 5000 };

async function failure(promise: Promise<unknown>): Promise<LanguageModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LanguageModelError);
  return error as LanguageModelError;
}

describe("OpenAIChatModel", () => {
  it("returns the first choice's content and sends the prompts", async () => {
    server.enqueue({ content: "由物业服务人负责维修。" });
    await expect(model.complete(ask)).resolves.toBe("由物业服务人负责维修。");
    const [sent] = server.chatRequests();
    expect(sent?.model).toBe("test-chat");
    expect(sent?.temperature).toBe(0.2);
    expect(sent?.messages).toEqual([
      { role: "system", content: ask.system },
      { role: "user", content: ask.user },
    ]);
    expect(sent?.response_format).toBeUndefined();
  });

  it("asks for a JSON object in json mode", async () => {
    server.enqueue({ content: '{"answer":"好"}' });
    await expect(model.complete({ ...ask, json: true })).resolves.toBe('{"answer":"好"}');
    expect(server.chatRequests()[0]?.response_format).toEqual({ type: "json_object" });
  });

  it("reports HTTP 500 as reason http with the status", async () => {
    server.enqueue({ status: 500 });
    const error = await failure(model.complete(ask));
    expect(error.reason).toBe("http");
    expect(error.status).toBe(500);
    // No retries: the engine's offline fallback should not wait for them.
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("gives up on a hanging endpoint with reason timeout", async () => {
    server.enqueue({ hang: true });
    const started = Date.now();
    const error = await failure(model.complete({ ...ask, timeoutMs: 300 }));
    expect(error.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports a malformed 200 body as a LanguageModelError", async () => {
    server.enqueue({ rawBody: "not json" });
    const error = await failure(model.complete(ask));
    expect(error.reason).toBe("empty");
  });

  it("reports empty content as reason empty", async () => {
    server.enqueue({ content: "" });
    expect((await failure(model.complete(ask))).reason).toBe("empty");
  });

  it("reports a closed port as reason network", async () => {
    const gone = await startOpenAIServer();
    await gone.close();
    const offline = new OpenAIChatModel({ baseURL: gone.baseURL, model: "x", timeoutMs: 5000 });
    expect((await failure(offline.complete(ask))).reason).toBe("network");
  });

  it("lets a script answer once the queue is empty", async () => {
    server.script((body) => ({ content: `echo:${body.messages?.[1]?.content}` }));
    await expect(model.complete(ask)).resolves.toBe(`echo:${ask.user}`);
  });
});
