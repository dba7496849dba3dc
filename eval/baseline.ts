import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { Bm25Index } from "../knowledge/bm25.ts";
import type { SourceDocument } from "../knowledge/unit.ts";
import { unitText } from "../knowledge/unit.ts";

/**
 * What a developer would assemble from LangChain in an afternoon: ~500-character
 * chunks from RecursiveCharacterTextSplitter, BM25 over plain jieba tokens (no
 * domain dictionary, no thesaurus, no script conversion), chunks mapped back to
 * the units they overlap. The reference point every report compares against.
 */
export async function createBaselineRetriever(documents: SourceDocument[]) {
  const jieba = Jieba.withDict(dict);
  const tokens = (text: string) =>
    jieba.cut(text, true).filter((t) => /[\p{Script=Han}\w]/u.test(t));
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 500, chunkOverlap: 50 });

  const chunkUnits: string[][] = [];
  const chunkTokens: string[][] = [];
  for (const doc of documents) {
    // Offsets of each unit in the document's text, to map chunks back.
    const starts: { key: string; at: number }[] = [];
    let text = "";
    for (const unit of doc.units) {
      starts.push({ key: unit.key, at: text.length });
      text += `${unit.label} ${unitText(unit)}\n\n`;
    }
    const chunks = await splitter.splitText(text);
    let from = 0;
    for (const chunk of chunks) {
      const at = Math.max(0, text.indexOf(chunk, Math.max(0, from - 60)));
      from = at + 1;
      const end = at + chunk.length;
      const keys = starts
        .filter((s, i) => s.at < end && (starts[i + 1]?.at ?? Number.POSITIVE_INFINITY) > at)
        .map((s) => s.key);
      chunkUnits.push(keys);
      chunkTokens.push(tokens(chunk));
    }
  }
  const bm25 = Bm25Index.build(chunkTokens);
  return {
    search(query: string, limit = 10): string[] {
      const out: string[] = [];
      for (const hit of bm25.search(tokens(query), 50)) {
        for (const key of chunkUnits[hit.doc] ?? []) if (!out.includes(key)) out.push(key);
        if (out.length >= limit) break;
      }
      return out.slice(0, limit);
    },
  };
}
