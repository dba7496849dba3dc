/**
 * Mainland mobile numbers (11 digits starting 1[3-9], possibly split by
 * spaces or dashes) and landlines with an area code. Residents type them
 * into groups; they must never be echoed there or written to a log. Chinese
 * input methods often type full-width digits (１３８…), spaces and dashes
 * (　－), so those count the same as their ASCII forms.
 */
const D = "[0-9\\uFF10-\\uFF19]";
const SEP = "[\\s\\-\\u3000\\uFF0D]";
const MOBILE = new RegExp(
  `(?<!${D})(?:[+＋]?[8８][6６]${SEP}?)?[1１][3-9３-９]${D}(?:${SEP}?${D}){8}(?!${D})`,
  "g",
);
const LANDLINE = new RegExp(`(?<!${D})[0０]${D}{2,3}${SEP}?${D}{7,8}(?!${D})`, "g");

/** Full-width digits to ASCII; everything that is not a digit dropped. */
function digitsOf(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 48))
    .replace(/\D/g, "");
}

export function findPhones(text: string): string[] {
  return [...text.matchAll(MOBILE), ...text.matchAll(LANDLINE)].map((m) => m[0]);
}

export function containsPhone(text: string): boolean {
  return findPhones(text).length > 0;
}

/** 138 0000 1234 → 138****1234: enough for the resident to recognise, useless to anyone else. */
export function maskPhones(text: string): string {
  const mask = (m: string) => {
    const digits = digitsOf(m).replace(/^86(?=1)/, "");
    return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  };
  return text.replace(MOBILE, mask).replace(LANDLINE, mask);
}

/** The first mobile or landline number in a text, digits only (ASCII). */
export function extractPhone(text: string): string | undefined {
  const m = findPhones(text)[0];
  return m === undefined ? undefined : digitsOf(m).replace(/^86(?=1)/, "");
}
