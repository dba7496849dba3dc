import * as OpenCC from "opencc-js";

const toCn = OpenCC.Converter({ from: "tw", to: "cn" });
const toTw = OpenCC.Converter({ from: "cn", to: "tw" });

/** Traditional → Simplified; Simplified text passes through unchanged. */
export function toSimplified(text: string): string {
  return toCn(text);
}

export function toTraditional(text: string): string {
  return toTw(text);
}

/**
 * True when the text is written in Traditional characters: enough of its
 * Han characters change under conversion that it is not a stray variant.
 */
export function isTraditional(text: string): boolean {
  const simplified = toCn(text);
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
