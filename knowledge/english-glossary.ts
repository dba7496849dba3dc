/**
 * English words residents use for what the sources regulate, mapped to the
 * sources' Chinese words, so an English question can be searched offline.
 * Reviewed data in knowledge/lexicon/english.yaml, like the thesaurus.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readYamlFile } from "./yaml-cache.ts";

export const DEFAULT_ENGLISH_FILE = fileURLToPath(
  new URL("./lexicon/english.yaml", import.meta.url),
);

const PatternSchema = z.string().refine((p) => {
  try {
    new RegExp(p, "i");
    return true;
  } catch {
    return false;
  }
}, "a valid regular expression");

export const GlossaryEntrySchema = z.union([
  z.object({ english: z.array(PatternSchema).min(1), chinese: z.string().min(1) }),
  /** Topics the sources do not cover, whatever property words come with them. */
  z.object({ english: z.array(PatternSchema).min(1), off_topic: z.literal(true) }),
]);

export const GlossaryFileSchema = z.array(GlossaryEntrySchema);

export interface GlossaryEntry {
  pattern: RegExp;
  /** Empty for an off-topic entry. */
  chinese: string;
  offTopic: boolean;
}

let cached: { file: string; entries: GlossaryEntry[] } | undefined;

/** The glossary, in file order (longer phrases first, so they win over single words). */
export function englishGlossary(file: string = DEFAULT_ENGLISH_FILE): GlossaryEntry[] {
  if (cached?.file === file) return cached.entries;
  const entries = GlossaryFileSchema.parse(readYamlFile(file)).map((e) => ({
    pattern: new RegExp(e.english.join("|"), "i"),
    chinese: "chinese" in e ? e.chinese : "",
    offTopic: "off_topic" in e,
  }));
  cached = { file, entries };
  return entries;
}

/**
 * Chinese search terms for an English question, from the glossary; empty when
 * nothing is recognised or the question is about a topic the sources do not
 * cover (whatever property words come with it).
 */
export function englishSearchTerms(text: string, glossary = englishGlossary()): string {
  const matched = glossary.filter((e) => e.pattern.test(text));
  if (matched.some((e) => e.offTopic)) return "";
  return [...new Set(matched.flatMap((e) => e.chinese.split(/\s+/)))].join(" ");
}

/** An English message about a topic the sources do not cover (a boss, a taxi, a restaurant). */
export function englishOffTopic(text: string, glossary = englishGlossary()): boolean {
  return glossary.some((e) => e.offTopic && e.pattern.test(text));
}

const LATIN_WORD = /[a-z]{3,}/i;

/**
 * Text told mostly in English (a Chinese estate name may sit in it): what the
 * glossary, not the Chinese word lists and classifiers, should read.
 */
export function mostlyEnglish(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return latin > 2 * han && LATIN_WORD.test(text);
}

/**
 * A query expander that also reads English: the glossary's Chinese terms (and
 * their own expansions) join the query's, so a question asked in English
 * finds the same units wherever the retriever is used.
 */
export function withEnglish(
  expand: (normalizedQuery: string) => string[],
  glossary = englishGlossary(),
): (normalizedQuery: string) => string[] {
  return (query) => {
    const own = expand(query);
    if (!LATIN_WORD.test(query)) return own;
    const terms = englishSearchTerms(query, glossary);
    return terms === "" ? own : [...own, terms, ...expand(terms)];
  };
}
