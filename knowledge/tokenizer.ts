import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Jieba } from "@node-rs/jieba";
import type { Lexicon } from "./lexicon.ts";
import { normalizeForSearch } from "./text-normalize.ts";

export interface Tokenizer {
  /** Search tokens of a text: normalised, segmented, stopwords and punctuation removed. */
  tokens(text: string): string[];
  /**
   * Character bigrams of the Han runs, marked with a leading "~" so they never
   * collide with a word. They match what segmentation cuts differently
   * (房子卖了 / 房卖了) and survive typos.
   */
  bigrams(text: string): string[];
}

const HAN_RUN = /[\p{Script=Han}]+/gu;

const WORDLIKE = /[\p{Script=Han}a-z0-9]/u;

/** jieba's own dictionary (350 000 words), read directly: its dict.js also reads a 6 MB idf table. */
export function fullDictionary(): Uint8Array {
  return readFileSync(createRequire(import.meta.url).resolve("@node-rs/jieba/dict.txt"));
}

/**
 * jieba's dictionary cut down to the words that occur in `vocabulary` (the
 * sources, the lexicon, the cards), which is all a search can ever match.
 * Loading it takes a fraction of the time and memory of the whole one. The
 * left-out words' frequency is kept as one word that never occurs, so every
 * word's probability, and with it how the vocabulary's text is segmented,
 * stays exactly as with the whole dictionary.
 */
export function trimDictionary(full: Uint8Array, vocabulary: string): string {
  const jieba = Jieba.withDict(full);
  const present = new Set(jieba.cutAll(vocabulary));
  const kept: string[] = [];
  let dropped = 0;
  for (const line of new TextDecoder().decode(full).split("\n")) {
    const [word, freq] = line.split(" ");
    if (!word) continue;
    if (present.has(word)) kept.push(line);
    else dropped += Number(freq) || 0;
  }
  kept.push(`\uE000 ${dropped}`);
  return `${kept.join("\n")}\n`;
}

/** A tokenizer over `dictionary` (default: jieba's whole one) plus the lexicon's domain words. */
export function createTokenizer(
  lexicon: Pick<Lexicon, "domainWords" | "stopwords">,
  dictionary: Uint8Array | string = fullDictionary(),
): Tokenizer {
  const jieba = Jieba.withDict(
    typeof dictionary === "string" ? new TextEncoder().encode(dictionary) : dictionary,
  );
  if (lexicon.domainWords.length > 0) {
    jieba.loadDict(new TextEncoder().encode(`${lexicon.domainWords.join("\n")}\n`));
  }
  return {
    tokens(text) {
      return jieba
        .cutForSearch(normalizeForSearch(text), true)
        .map((t) => t.trim())
        .filter((t) => t !== "" && WORDLIKE.test(t) && !lexicon.stopwords.has(t));
    },
    bigrams(text) {
      const out: string[] = [];
      for (const run of normalizeForSearch(text).match(HAN_RUN) ?? []) {
        for (let i = 0; i + 1 < run.length; i++) out.push(`~${run.slice(i, i + 2)}`);
      }
      return out;
    },
  };
}
