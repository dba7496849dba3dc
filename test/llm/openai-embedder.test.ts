import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAIEmbedder } from "../../adapters/llm/openai-embedder.ts";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.ts";

let server: OpenAIServer;

beforeEach(async () => {
  server = await startOpenAIServer();
});

afterEach(async () => {
  await server.close();
});

function config(dimensions?: number) {
  return {
    baseURL: server.baseURL,
    model: "test-chat",
    timeoutMs: 5000,
    embeddings: { model: "test-embed", ...(dimensions === undefined ? {} : { dimensions }) },
  };
}

describe("OpenAIEmbedder", () => {
  it("returns one vector per input with the configured dimension, without probing", async () => {
    const embedder = await OpenAIEmbedder.create(config(32));
    expect(embedder.id).toBe("openai:test-embed");
    expect(embedder.dimensions).toBe(32);
    expect(server.requests).toHaveLength(0);

    const vectors = await embedder.embed(["物业费", "维修资金", "业主大会"]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) expect(v).toHaveLength(32);
    const [sent] = server.embeddingRequests();
    expect(sent).toMatchObject({ model: "test-embed", dimensions: 32, encoding_format: "float" });
  });

  it("discovers the dimension from one probe when none is configured", async () => {
    const embedder = await OpenAIEmbedder.create(config());
    expect(embedder.dimensions).toBe(64);
    expect(server.embeddingRequests()).toHaveLength(1);
    expect(server.embeddingRequests()[0]?.dimensions).toBeUndefined();
  });

  it("batches 150 inputs into 3 requests and keeps their order", async () => {
    const embedder = await OpenAIEmbedder.create(config(64));
    const texts = Array.from({ length: 150 }, (_, i) => `第${i}条 物业服务`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(150);
    const batches = server.embeddingRequests().map((b) => (b.input as string[]).length);
    expect(batches).toEqual([64, 64, 22]);
    // Same text, same vector: order survived the batching.
    const [again] = await embedder.embed([texts[149] as string]);
    expect(again).toEqual(vectors[149]);
  });

  it("answers blank texts with a zero vector without sending them", async () => {
    const embedder = await OpenAIEmbedder.create(config(64));
    const vectors = await embedder.embed(["", "停车费"]);
    expect(vectors[0]?.every((x) => x === 0)).toBe(true);
    expect(server.embeddingRequests()[0]?.input).toEqual(["停车费"]);
  });
});
