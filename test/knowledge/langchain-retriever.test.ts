import { describe, expect, it } from "vitest";
import { KnowledgeBaseRetriever } from "../../knowledge/langchain-retriever.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

describe("the retriever as a LangChain BaseRetriever", () => {
  it("returns unit documents with their key and citation, best first", async () => {
    const retriever = new KnowledgeBaseRetriever(await shippedKnowledgeBase(), 3);
    const docs = await retriever.invoke("民法典第九百四十四条");
    expect(docs).toHaveLength(3);
    expect(docs[0]?.metadata.key).toBe("civil-code-2020:944");
    expect(docs[0]?.metadata.citation).toBe("《中华人民共和国民法典》第九百四十四条");
    expect(docs[0]?.pageContent).toContain("停止供电、供水、供热、供燃气");
  });
});
