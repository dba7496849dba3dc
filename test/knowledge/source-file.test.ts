import { describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { parseSourceFile, SourceFormatError } from "../../knowledge/source-file.ts";
import { FIXTURES } from "../helpers/knowledge.ts";

describe("validating a source file's front matter", () => {
  it("names the file, the line and what is wrong", () => {
    const text =
      "---\nid: x-doc\ntitle: 标题\nkind: 法规\nissuer: 某机关\njurisdiction: 某省\nadopted: 2020-01-01\neffective: 2020-01-01\nsource: s\n---\n第一条 正文。\n";
    try {
      parseSourceFile("x.md", text);
      expect.unreachable("a wrong kind must be rejected");
    } catch (e) {
      expect(e).toBeInstanceOf(SourceFormatError);
      const err = e as SourceFormatError;
      expect(err.path).toBe("x.md");
      expect(err.line).toBe(4);
      expect(err.problem).toContain("kind");
    }
  });

  it("reports a missing required key", () => {
    const text =
      "---\nid: x-doc\ntitle: 标题\nkind: 法律\njurisdiction: 全国\nadopted: 2020-01-01\neffective: 2020-01-01\nsource: s\n---\n";
    expect(() => parseSourceFile("y.md", text)).toThrow(/y\.md:1: .*issuer/);
  });

  it("ingests the good files of a folder and reports each bad one", async () => {
    const kb = await openKnowledgeBase({ sourcesDir: `${FIXTURES}bad-sources`, indexDir: null });
    expect(kb.documents.map((d) => d.meta.id)).toEqual(["good-doc"]);
    const byFile = Object.fromEntries(kb.problems.map((p) => [p.path, p]));
    expect(byFile["bad-kind.md"]?.line).toBe(4);
    expect(byFile["bad-kind.md"]?.problem).toContain("kind");
    expect(byFile["bad-date.md"]?.line).toBe(7);
    expect(byFile["bad-date.md"]?.problem).toContain("adopted");
    expect(byFile["no-front-matter.md"]?.line).toBe(1);
    const { hits } = await kb.retriever.search("电瓶车能不能在楼道充电");
    expect(hits[0]?.key).toBe("good-doc:1");
  });
});
