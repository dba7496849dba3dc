import { englishGlossary } from "../knowledge/english-glossary.ts";

/**
 * Offline, an English question is searched through the glossary of the terms
 * residents use (knowledge/lexicon/english.yaml), and answered in Chinese
 * after a short English note.
 */
/** Chinese search terms for an English question; empty when nothing is recognised. */
export function englishToSearchTerms(text: string, glossary = englishGlossary()): string {
  const matched = glossary.filter((e) => e.pattern.test(text));
  if (matched.some((e) => e.offTopic)) return "";
  const terms = matched.flatMap((e) => e.chinese.split(/\s+/));
  return [...new Set(terms)].join(" ");
}

export const ENGLISH_NOTE =
  "Note: I answer from Chinese regulations, so the answer below is in Chinese; the cited articles are the official texts.";

export const ENGLISH_NOT_FOUND =
  "Sorry, I could not match your question to the regulations I hold (Henan Province, Pingdingshan City and national property-management rules). Please ask in Chinese if you can, or call the 12345 government service hotline.";
