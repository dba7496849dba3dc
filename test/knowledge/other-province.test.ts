import { describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { FIXTURES } from "../helpers/knowledge.ts";

describe("another province's regulation, with 节 inside chapters", () => {
  const open = () => openKnowledgeBase({ sourcesDir: `${FIXTURES}other-province`, indexDir: null });

  it("ingests with chapter and 节 context and mixed （一）/(一) items", async () => {
    const kb = await open();
    expect(kb.problems).toEqual([]);
    const doc = kb.documents[0];
    expect(doc?.units).toHaveLength(9);
    const art3 = kb.unit("demo-province-pmr:3");
    expect(art3?.context).toEqual(["第二章 业主自治", "第一节 业主大会"]);
    expect(art3?.clauses[1]?.items).toHaveLength(3);
    expect(kb.unit("demo-province-pmr:7")?.context).toEqual(["第三章 物业服务"]);
  });

  it("answers search in residents' words", async () => {
    const kb = await open();
    const fee = await kb.retriever.search("欠物业费就给我家停水停电，这合法吗");
    expect(fee.hits[0]?.key).toBe("demo-province-pmr:7");
    const election = await kb.retriever.search("业委会几年换一次届");
    expect(election.hits.slice(0, 2).map((h) => h.key)).toContain("demo-province-pmr:5");
  });

  it("resolves a bare article reference to the only regulation there", async () => {
    const kb = await open();
    const { hits } = await kb.retriever.search("第六条说的是什么");
    expect(hits[0]?.key).toBe("demo-province-pmr:6");
    expect(hits[0]?.exact).toBe(true);
  });
});
