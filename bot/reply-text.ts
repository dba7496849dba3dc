import { toTraditional } from "../knowledge/text-normalize.ts";

/**
 * A reply is built from segments so that quotations of the statute stay
 * exactly as published while the bot's own words follow the resident's script.
 */
export interface Segment {
  text: string;
  /** Text quoted from a source: never converted or reworded. */
  verbatim?: boolean;
}

export function render(segments: Segment[], traditional: boolean): string {
  return segments
    .map((s) => (traditional && !s.verbatim ? toTraditional(s.text) : s.text))
    .join("")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export const DISCLAIMER = "（以上为法规条文信息，不构成法律意见。）";

/** WeChat shows Markdown literally; a model's reply is stripped of it before sending. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/__(.+?)__/g, "$1")
    .replace(/^#{1,6}\s*/gm, "")
    .replace(/^\s*[-*]\s+/gm, "· ")
    .replace(/^\|.*\|\s*$/gm, (row) =>
      row
        .split("|")
        .map((c) => c.trim())
        .filter((c) => c !== "" && !/^:?-+:?$/.test(c))
        .join("，"),
    )
    .replace(/`{1,3}/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
