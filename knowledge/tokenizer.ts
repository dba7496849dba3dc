import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
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

export function createTokenizer(lexicon: Lexicon): Tokenizer {
  const jieba = Jieba.withDict(dict);
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
