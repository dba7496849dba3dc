import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { normalizeForSearch } from "./text-normalize.ts";
import { readYamlFile } from "./yaml-cache.ts";

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
  /** Misspellings residents type and their correct form, in search form. */
  typos: TypoPair[];
  /** Local place names, left out of what retrieval reads (they say where, not what). */
  placeNames: string[];
}

/** A misspelling and its correct form. */
export type TypoPair = [wrong: string, right: string];

/** The correct form of a word, with its usual misspellings. */
export const TyposSchema = z.record(z.string().min(1), z.array(z.string().min(1)));

export const UnitKeywordsSchema = z.record(z.string(), z.array(z.string().min(1)));

function dataLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Parsed through the cache: the yaml parser loads only when a file changed. */
const yamlAt = (url: URL) => readYamlFile(fileURLToPath(url));

export function loadLexicon(dir: URL = LEXICON_DIR): Lexicon {
  const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
  return {
    thesaurus: ThesaurusSchema.parse(yamlAt(new URL("thesaurus.yaml", dir))),
    domainWords: dataLines(read("domain-words.txt")),
    stopwords: new Set(dataLines(read("stopwords.txt"))),
    unitKeywords: loadUnitKeywords(new URL("unit-keywords/", dir)),
    typos: existsSync(new URL("typos.yaml", dir))
      ? Object.entries(TyposSchema.parse(yamlAt(new URL("typos.yaml", dir)))).flatMap(
          ([right, wrongs]) =>
            wrongs.map((w): TypoPair => [normalizeForSearch(w), normalizeForSearch(right)]),
        )
      : [],
    placeNames: existsSync(new URL("place-names.txt", dir))
      ? dataLines(read("place-names.txt")).map(normalizeForSearch)
      : [],
  };
}

/** Blanks the local place names of a (normalised) query, longest first. */
export function createPlaceStripper(placeNames: string[]): (query: string) => string {
  const sorted = [...placeNames].sort((a, b) => b.length - a.length);
  return (query) => {
    let out = query;
    for (const name of sorted) if (out.includes(name)) out = out.split(name).join(" ");
    return out;
  };
}

/**
 * Corrects residents' misspellings in a (normalised) query, longest first,
 * so that segmentation and bigrams see the word the resident meant.
 */
export function createTypoFixer(typos: TypoPair[]): (query: string) => string {
  const sorted = [...typos].sort((a, b) => b[0].length - a[0].length);
  return (query) => {
    let out = query;
    for (const [wrong, right] of sorted)
      if (out.includes(wrong)) out = out.split(wrong).join(right);
    return out;
  };
}

function loadUnitKeywords(dir: URL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    const data = UnitKeywordsSchema.parse(yamlAt(new URL(f, dir)));
    for (const [key, words] of Object.entries(data))
      out.set(key, [...(out.get(key) ?? []), ...words.map(String)]);
  }
  return out;
}

/** A resident's word (in search form) and the sources' words it stands for. */
export type ExpansionPair = [resident: string, formal: string[]];

export function expansionPairs(thesaurus: ThesaurusEntry[]): ExpansionPair[] {
  return thesaurus.flatMap((e) =>
    e.resident.map((r): ExpansionPair => [normalizeForSearch(r), e.formal]),
  );
}

/**
 * Finds residents' words in a (normalised) query and returns the sources'
 * words for them. Matching is by substring so it does not depend on how the
 * segmenter happened to cut a colloquial phrase.
 */
export function createExpander(
  thesaurus: ThesaurusEntry[] | ExpansionPair[],
): (query: string) => string[] {
  const pairs = thesaurus.every(Array.isArray)
    ? (thesaurus as ExpansionPair[])
    : expansionPairs(thesaurus as ThesaurusEntry[]);
  return (query) => {
    const out = new Set<string>();
    for (const [word, formal] of pairs) {
      if (query.includes(word)) for (const f of formal) out.add(f);
    }
    return [...out];
  };
}
