import { createRequire } from "node:module";
import type { LocalePreset } from "opencc-js/core";
import * as TraditionalToSimplified from "opencc-js/preset/t2cn";
import { type Convert, presetConverter } from "./script-converter.ts";

// Building a converter's tables is the slow part, so each is built on first
// use: most conversations never need a reply in Traditional characters.
let toCn: Convert | undefined;
let toTw: Convert | undefined;

/** Simplified characters the tw→cn table still rewrites (么 → 幺), kept as written. */
const ALREADY_SIMPLIFIED = new Set(["么"]);

/** Traditional → Simplified; Simplified text passes through unchanged. */
export function toSimplified(text: string): string {
  toCn ??= presetConverter(TraditionalToSimplified as LocalePreset, "tw", "cn");
  const converted = toCn(text);
  if (converted.length !== text.length || ![...ALREADY_SIMPLIFIED].some((c) => text.includes(c)))
    return converted;
  return [...converted]
    .map((c, i) => (ALREADY_SIMPLIFIED.has(text[i] ?? "") ? text[i] : c))
    .join("");
}

export function toTraditional(text: string): string {
  toTw ??= presetConverter(
    createRequire(import.meta.url)("opencc-js/preset/cn2t") as LocalePreset,
    "cn",
    "tw",
  );
  return toTw(text);
}

/**
 * True when the text is written in Traditional characters: enough of its
 * Han characters change under conversion that it is not a stray variant.
 */
export function isTraditional(text: string): boolean {
  const simplified = toSimplified(text);
  let changed = 0;
  for (let i = 0; i < text.length; i++) if (text[i] !== simplified[i]) changed++;
  return changed >= 2 || (changed === 1 && text.length <= 12);
}

/** Full-width ASCII (ＡＢＣ１２３) to half-width, ideographic space to a space. */
export function foldWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

/** The form every piece of text takes before tokenising, on both sides of the index. */
export function normalizeForSearch(text: string): string {
  return foldWidth(toSimplified(text)).toLowerCase();
}
