/**
 * Mainland mobile numbers (11 digits starting 1[3-9], possibly split by
 * spaces or dashes) and landlines with an area code. Residents type them
 * into groups; they must never be echoed there or written to a log.
 */
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g;

export function findPhones(text: string): string[] {
  return [...text.matchAll(MOBILE), ...text.matchAll(LANDLINE)].map((m) => m[0]);
}

export function containsPhone(text: string): boolean {
  return findPhones(text).length > 0;
}

/** 138 0000 1234 → 138****1234: enough for the resident to recognise, useless to anyone else. */
export function maskPhones(text: string): string {
  const mask = (m: string) => {
    const digits = m.replace(/\D/g, "").replace(/^86(?=1)/, "");
    return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  };
  return text.replace(MOBILE, mask).replace(LANDLINE, mask);
}

/** The first mobile or landline number in a text, digits only. */
export function extractPhone(text: string): string | undefined {
  const m = findPhones(text)[0];
  return m?.replace(/\D/g, "").replace(/^86(?=1)/, "");
}
