/**
 * Offline, an English question is searched through the glossary of the terms
 * residents use (knowledge/lexicon/english.yaml), and answered in Chinese
 * after a short English note.
 */

import { INJURY_FIRST, SAFETY_FIRST } from "./fixed-replies.ts";

export const ENGLISH_NOTE =
  "Note: I answer from Chinese regulations, so the answer below is in Chinese; the cited articles are the official texts.";

export const ENGLISH_NOT_FOUND =
  "Sorry, I could not match your question to the regulations I hold (Henan Province, Pingdingshan City and national property-management rules). Please ask in Chinese if you can, or call the 12345 government service hotline.";

export const ENGLISH_EMERGENCY =
  "Emergency: call 119 (fire) or 110 (police) now and keep away from the danger; if someone is trapped in a lift, press its alarm button. Details follow in Chinese.";

export const ENGLISH_FILED =
  'Your complaint is filed. The case number and what happens next follow in Chinese; send "progress" any time to check on it.';

const ENGLISH_SAFETY =
  "Call 119 or 110 first if anyone is trapped or there is fire, smoke or a smell of gas.";
const ENGLISH_INJURY =
  "If someone is hurt, call 120 for an ambulance first; call 110 if someone else caused it or cannot be found.";

/** The numbers to ring that can open an answer, and what they say in English. */
const FIRST_LINES: [string, string][] = [
  [SAFETY_FIRST, ENGLISH_SAFETY],
  [INJURY_FIRST, ENGLISH_INJURY],
];

/** The English for the numbers-to-ring line a Chinese answer opens with, if it opens with one. */
export function englishFirstLine(body: string): string | undefined {
  return FIRST_LINES.find(([chinese]) => body.startsWith(chinese))?.[1];
}

/** The English line that opens a reply to a message written in English. */
export function englishLead(kind: string, body = ""): string {
  if (kind === "emergency") return ENGLISH_EMERGENCY;
  // The answer opens with the numbers to ring: in English, before the note about Chinese.
  const first = englishFirstLine(body);
  if (first) return `${first}\n${ENGLISH_NOTE}`;
  if (kind === "complaint_filed") return ENGLISH_FILED;
  return ENGLISH_NOTE;
}
