import { normalizeForSearch, toSimplified } from "../knowledge/text-normalize.ts";
import { modelDecline } from "./guard-model.ts";
import {
  ABUSE_PATTERNS,
  FABRICATION_PATTERNS,
  INJECTION_PATTERNS,
  PERSONAL_DATA_PATTERNS,
  UNLAWFUL_PATTERNS,
} from "./guard-patterns.ts";
import { judgeScope } from "./scope.ts";

/** The resident's own name, phone or address (我的名字和电话, 俺家住址). */
const OWN_DATA =
  /(?:我|俺)(?:的|家的?)?(?:(?:名字|姓名|电话号码|电话|手机号码|手机号|手机|号码|信息|住址|门牌号?|房号|身份证号?)[和、跟及,，]?)+/g;

/** Asking after one's own complaint: nothing the model should weigh as a lookup of others. */
const OWN_CASE =
  /进度|进展|单号|编号|工单|哪一步|受理|跟进|(提交|反映|登记|报)(过)?的[^，。]{0,4}(投诉|问题|事)|(那个|我的|俺的)投诉|pds-?\d/i;

const ARTICLE_NAMED = /第[一二三四五六七八九十百千零〇两\d]+条/;

export type GuardVerdict =
  | { kind: "ok"; text: string; truncated: boolean }
  | { kind: "empty" }
  | { kind: "placeholder" }
  | { kind: "injection" | "fabrication" | "personal_data" | "abuse" | "unlawful" };

/** Longer messages are read up to here; nobody writes a question this long. */
export const MAX_MESSAGE_CHARS = 1500;

/**
 * First look at every message: empty, over-long, or a request the bot
 * declines whatever else it says. Runs before any retrieval or model call,
 * so a declined message never reaches a model.
 */
export function guardInput(raw: string): GuardVerdict {
  // Zero-width and control characters are how injections hide in plain sight.
  const text = raw.replace(/[\u200b-\u200f\u2060\ufeff]|\p{Cc}(?<![\n\t])/gu, "").trim();
  if (text.replace(/[\s\p{P}\p{S}]/gu, "") === "") return { kind: "empty" };
  // Chat apps put [表情], [图片], [语音] in place of what text cannot carry.
  if (/^(\[[^[\]]{1,8}\]\s*)+$/.test(text)) return { kind: "placeholder" };
  const truncated = text.length > MAX_MESSAGE_CHARS;
  const kept = truncated ? text.slice(0, MAX_MESSAGE_CHARS) : text;
  // Search normalisation turns full-width commas into ASCII ones; the lists read clauses by the
  // full-width comma (被人骂，她想辞职 is two clauses), so it is put back.
  const normalized = normalizeForSearch(kept).replace(/,/g, "，");
  if (INJECTION_PATTERNS.some((p) => p.test(normalized))) return { kind: "injection" };
  if (FABRICATION_PATTERNS.some((p) => p.test(normalized))) return { kind: "fabrication" };
  // 把我名字电话发到群里了: the resident's own data exposed is a complaint, not a request for anyone's.
  const othersData = normalized.replace(OWN_DATA, "我的资料");
  if (PERSONAL_DATA_PATTERNS.some((p) => p.test(othersData))) return { kind: "personal_data" };
  if (ABUSE_PATTERNS.some((p) => p.test(normalized))) return { kind: "abuse" };
  if (UNLAWFUL_PATTERNS.some((p) => p.test(normalized))) return { kind: "unlawful" };
  // What the lists miss, in other words: the model, only when it is all but sure.
  // A phone number left for the case worker says nothing about what is asked.
  // Off-topic requests (a sick note, a poem) are turned away as off-topic further on, not refused.
  const declined = modelDecline(othersData.replace(/\d[\d\s-]{5,}\d/g, ""));
  // An article asked for by number is looked up (and said to be missing when it is): the lists
  // alone decide whether the request is to invent one.
  if (
    declined &&
    judgeScope(toSimplified(kept)).inScope &&
    !OWN_CASE.test(kept) &&
    !ARTICLE_NAMED.test(kept)
  )
    return { kind: declined };
  return { kind: "ok", text: kept, truncated };
}
