const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters that may appear in a Chinese numeral, for building regular expressions. */
export const CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千";

/**
 * Parses a Chinese numeral (一百二十三, 十五, 二〇) or Arabic digits into an integer.
 * Returns undefined for anything else, so callers can reject malformed references.
 */
export function parseChineseNumber(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (s === "" || ![...s].every((c) => c in DIGITS || c in UNITS)) return undefined;
  let total = 0;
  let current = 0;
  for (const c of s) {
    const digit = DIGITS[c];
    if (digit !== undefined) {
      current = current * 10 + digit;
      continue;
    }
    const unit = UNITS[c] ?? 1;
    total += (current === 0 ? 1 : current) * unit;
    current = 0;
  }
  return total + current;
}

/** Renders an integer (0–9999) as a Chinese numeral the way statutes number their articles. */
export function toChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`out of range: ${n}`);
  if (n === 0) return "零";
  const names = "零一二三四五六七八九";
  const parts: string[] = [];
  const units = ["千", "百", "十", ""];
  const values = [1000, 100, 10, 1];
  let pendingZero = false;
  values.forEach((value, i) => {
    const d = Math.floor(n / value) % 10;
    if (d === 0) {
      if (parts.length > 0) pendingZero = true;
      return;
    }
    if (pendingZero) parts.push("零");
    pendingZero = false;
    parts.push(`${names[d]}${units[i]}`);
  });
  const out = parts.join("");
  // Statutes write 第十条 and 第十五条, not 第一十条.
  return out.startsWith("一十") ? out.slice(1) : out;
}
