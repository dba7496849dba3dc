import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import type { Lexicon } from "./lexicon.ts";
import { normalizeForSearch } from "./text-normalize.ts";

export interface Tokenizer {
  /** Search tokens of a text: normalised, segmented, stopwords and punctuation removed. */
  tokens(text: string): string[];
}

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
  };
}
