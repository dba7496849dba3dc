import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { normalizeForSearch } from "./text-normalize.ts";

const LEXICON_DIR = new URL("./lexicon/", import.meta.url);

/** One reviewed mapping from the words residents type to the words the sources use. */
export const ThesaurusEntrySchema = z.object({
  resident: z.array(z.string().min(1)).min(1),
  formal: z.array(z.string().min(1)).min(1),
  note: z.string().optional(),
});
export const ThesaurusSchema = z.array(ThesaurusEntrySchema);
export type ThesaurusEntry = z.infer<typeof ThesaurusEntrySchema>;

export interface Lexicon {
  thesaurus: ThesaurusEntry[];
  /** jieba user-dictionary lines (`word freq`). */
  domainWords: string[];
  stopwords: Set<string>;
  /** Residents' phrases for what each unit regulates, by unit key (document expansion). */
  unitKeywords: Map<string, string[]>;
}

export const UnitKeywordsSchema = z.record(z.string(), z.array(z.string().min(1)));

function dataLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

export function loadLexicon(dir: URL = LEXICON_DIR): Lexicon {
  const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
  return {
    thesaurus: ThesaurusSchema.parse(parse(read("thesaurus.yaml"))),
    domainWords: dataLines(read("domain-words.txt")),
    stopwords: new Set(dataLines(read("stopwords.txt"))),
    unitKeywords: loadUnitKeywords(new URL("unit-keywords/", dir)),
  };
}

function loadUnitKeywords(dir: URL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    const data = UnitKeywordsSchema.parse(parse(readFileSync(new URL(f, dir), "utf8")));
    for (const [key, words] of Object.entries(data))
      out.set(key, [...(out.get(key) ?? []), ...words.map(String)]);
  }
  return out;
}

/**
 * Finds residents' words in a (normalised) query and returns the sources'
 * words for them. Matching is by substring so it does not depend on how the
 * segmenter happened to cut a colloquial phrase.
 */
export function createExpander(thesaurus: ThesaurusEntry[]): (query: string) => string[] {
  const pairs = thesaurus.flatMap((e) =>
    e.resident.map((r) => [normalizeForSearch(r), e.formal] as const),
  );

  return (query) => {
    const out = new Set<string>();
    for (const [word, formal] of pairs) {
      if (query.includes(word)) for (const f of formal) out.add(f);
    }
    return [...out];
  };
}
