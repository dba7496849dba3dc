import type { SourceMeta } from "./source-file.ts";

/** One 款 (paragraph) of a unit, with the 项 (enumerated items) that belong to it. */
export interface Clause {
  text: string;
  items: string[];
}

/**
 * A citable unit (CONTRACTS §2): one 条 of a regulation, or one outline
 * section of a plan. Its key never depends on the text around it.
 */
export interface Unit {
  key: string;
  docId: string;
  /** "38" for 第三十八条, "2.3" for 二（三）, "0" for a plan's preamble. */
  number: string;
  /** How a reader names it: 第三十八条, 二（三）, 文件开头. */
  label: string;
  /** A plan section's own heading line, without its numbering. */
  heading?: string;
  /** Enclosing chapter / 节 / section titles, outermost first. */
  context: string[];
  clauses: Clause[];
}

export interface SourceDocument {
  meta: SourceMeta;
  structure: "articles" | "outline";
  units: Unit[];
}

/** The unit's text as published, label first, one 款 or 项 per line. */
export function unitText(unit: Unit): string {
  const lines = unit.clauses.flatMap((c) => [c.text, ...c.items]);
  if (unit.heading) lines.unshift(unit.heading);
  return lines.join("\n");
}

export function unitKey(docId: string, number: string): string {
  return `${docId}:${number}`;
}
