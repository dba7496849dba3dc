import type { Reply } from "../bot/message.ts";
import type { TurnExpect } from "./dataset.ts";

/** The text of a reply as the resident meets it: what was posted plus what came privately. */
export function seenText(reply: Pick<Reply, "text" | "privateText">): string {
  return reply.privateText ? `${reply.text}\n${reply.privateText}` : reply.text;
}

/**
 * An English sentence: at least four Latin-script words in a row. A unit key,
 * a brand name or "help" in a Chinese reply is not one.
 */
const ENGLISH_SENTENCE = /[A-Za-z]+(?:[\s,;:'’-]+[A-Za-z]+){3,}/;

export function hasEnglishSentence(text: string): boolean {
  return ENGLISH_SENTENCE.test(text);
}

/** `{case}` in a dialogue stands for the last case number filed in it; left as is when none was. */
export function withCase(s: string, lastCase: string | undefined): string {
  return lastCase === undefined ? s : s.replaceAll("{case}", lastCase);
}

/**
 * Checks one reply against a turn's `expect` (CONTRACTS §3). Returns one line
 * per condition that does not hold; empty when the turn passes.
 */
export function checkTurn(
  expect: TurnExpect,
  reply: Reply,
  lastCase: string | undefined,
): string[] {
  const fails: string[] = [];
  const sub = (xs: string[]) => xs.map((x) => withCase(x, lastCase));
  const seen = seenText(reply);
  if (expect.kinds && !expect.kinds.includes(reply.kind))
    fails.push(`kind ${reply.kind} not in ${expect.kinds.join("/")}`);
  if (expect.not_kinds?.includes(reply.kind)) fails.push(`kind ${reply.kind} is excluded`);
  if (expect.cites_any && !reply.citations.some((c) => expect.cites_any?.includes(c)))
    fails.push(
      `cites ${reply.citations.join(",") || "nothing"}, none of ${expect.cites_any.join(",")}`,
    );
  if (expect.contains_all) {
    const missing = sub(expect.contains_all).filter((s) => !seen.includes(s));
    if (missing.length > 0) fails.push(`missing ${missing.join(" | ")}`);
  }
  if (expect.contains_any && !sub(expect.contains_any).some((s) => seen.includes(s)))
    fails.push(`contains none of ${expect.contains_any.join(" | ")}`);
  if (expect.not_contains) {
    const present = sub(expect.not_contains).filter((s) => seen.includes(s));
    if (present.length > 0) fails.push(`contains ${present.join(" | ")}`);
  }
  if (expect.max_chars !== undefined && [...reply.text].length > expect.max_chars)
    fails.push(`${[...reply.text].length} chars > ${expect.max_chars}`);
  if (expect.private !== undefined) {
    const wentPrivate = (reply.privateText ?? "").trim().length > 0;
    if (wentPrivate !== expect.private)
      fails.push(expect.private ? "nothing went private" : "something went private");
  }
  if (expect.english !== undefined && hasEnglishSentence(seen) !== expect.english)
    fails.push(expect.english ? "no English sentence" : "an English sentence");
  if (expect.first_chars) {
    const head = [...reply.text].slice(0, expect.first_chars.n).join("");
    if (!sub(expect.first_chars.contains_any).some((s) => head.includes(s)))
      fails.push(
        `first ${expect.first_chars.n} chars lack ${expect.first_chars.contains_any.join(" | ")}`,
      );
  }
  if (expect.at_least) {
    const found = sub(expect.at_least.of).filter((s) => seen.includes(s)).length;
    if (found < expect.at_least.n) fails.push(`${found} of ${expect.at_least.n} required strings`);
  }
  return fails;
}
