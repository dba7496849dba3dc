import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIEmbedder } from "../../adapters/llm/openai-embedder.ts";
import { openKnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.ts";

let server: OpenAIServer;

beforeAll(async () => {
  server = await startOpenAIServer();
});

afterAll(async () => {
  await server.close();
});

const embedder = () =>
  OpenAIEmbedder.create({
    baseURL: server.baseURL,
    model: "test-chat",
    timeoutMs: 5000,
    embeddings: { model: "test-embed", dimensions: 64 },
  });

describe("the dense side of the index", () => {
  it("is neither built nor searched offline, where it has no weight", async () => {
    const indexDir = mkdtempSync(join(tmpdir(), "wuye-lexical-"));
    const kb = await openKnowledgeBase({ indexDir });
    expect(existsSync(join(indexDir, "index.json"))).toBe(true);
    expect(existsSync(join(indexDir, "dense.hnsw"))).toBe(false);
    const { hits } = await (await shippedKnowledgeBase()).retriever.search("楼上漏水淹了我家");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.similarity === 0)).toBe(true);
    expect(kb.built).toBe(true);
  });

  it("with an embeddings endpoint, builds an HNSW index, saves it and fuses it in", async () => {
    const indexDir = mkdtempSync(join(tmpdir(), "wuye-dense-"));
    const first = await openKnowledgeBase({ indexDir, embedder: await embedder() });
    expect(existsSync(join(indexDir, "dense.hnsw"))).toBe(true);
    const sentAtBuild = server.embeddingRequests().length;
    expect(sentAtBuild).toBeGreaterThan(1);

    // A second start loads the saved vectors: only the question is embedded.
    const again = await openKnowledgeBase({ indexDir, embedder: await embedder() });
    expect(again.built).toBe(false);
    const query = "楼上卫生间往我家滴水";
    const fused = await again.retriever.search(query);
    expect(server.embeddingRequests().length).toBe(sentAtBuild + 1);
    expect(fused.hits.some((h) => h.similarity > 0.3)).toBe(true);
    expect(await first.retriever.search(query)).toEqual(fused);

    // The dense ranking moves the fused order: without it the order is the lexical one.
    const lexical = await again.retriever.search(query, { denseWeight: 0 });
    expect(fused.hits.map((h) => h.score)).not.toEqual(lexical.hits.map((h) => h.score));
  });
});
