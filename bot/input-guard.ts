import { normalizeForSearch } from "../knowledge/text-normalize.ts";
import {
  ABUSE_PATTERNS,
  FABRICATION_PATTERNS,
  INJECTION_PATTERNS,
  PERSONAL_DATA_PATTERNS,
  UNLAWFUL_PATTERNS,
} from "./guard-patterns.ts";

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
  const normalized = normalizeForSearch(kept);
  if (INJECTION_PATTERNS.some((p) => p.test(normalized))) return { kind: "injection" };
  if (FABRICATION_PATTERNS.some((p) => p.test(normalized))) return { kind: "fabrication" };
  if (PERSONAL_DATA_PATTERNS.some((p) => p.test(normalized))) return { kind: "personal_data" };
  if (ABUSE_PATTERNS.some((p) => p.test(normalized))) return { kind: "abuse" };
  if (UNLAWFUL_PATTERNS.some((p) => p.test(normalized))) return { kind: "unlawful" };
  return { kind: "ok", text: kept, truncated };
}
