import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Segment } from "./reply-text.ts";

/**
 * An answer in the order residents need it: a plain conclusion, at most
 * three bases (one supporting sentence each, quoted verbatim), then what to
 * do next. The same parts render a short group reply and the fuller one
 * behind 「详细」.
 */
export interface AnswerParts {
  /** A line before the answer (another jurisdiction, an English note). */
  caveat?: string;
  /** One or two plain sentences that answer the question. */
  lead: Segment[];
  /** Units the lead itself quotes; cited even when no base is shown. */
  leadKeys?: string[];
  bases: { key: string; quote: string }[];
  /** Conditions, exceptions, which rule prevails. */
  notes?: string[];
  steps?: string[];
}

export const MAX_BASES = 3;
export const SHORT_DISCLAIMER = "（仅供参考，不构成法律意见。）";
export const MORE_HINT = "回复「详细」看完整回答，「全文」看条文原文。";
export const FULL_TEXT_HINT = "回复「全文」看条文原文。";

function baseSegments(kb: KnowledgeBase, b: { key: string; quote: string }): Segment[] {
  return [
    { text: "「" },
    { text: b.quote, verbatim: true },
    { text: `」——${kb.citation(b.key)}\n` },
  ];
}

interface Keep {
  bases: number;
  notes: number;
  steps: number;
  /** With no room for a quote, the first basis still shows which article it is. */
  label?: boolean;
}

function assemble(kb: KnowledgeBase, parts: AnswerParts, keep: Keep, hint: string): Segment[] {
  const out: Segment[] = [];
  if (parts.caveat) out.push({ text: `${parts.caveat}\n` });
  out.push(...parts.lead, { text: "\n" });
  const bases = parts.bases.slice(0, keep.bases);
  if (bases.length > 0) {
    out.push({ text: "依据：\n" });
    for (const b of bases) out.push(...baseSegments(kb, b));
  } else if (keep.label && parts.bases[0]) {
    out.push({ text: `依据：${kb.citation(parts.bases[0].key)}\n` });
  }
  for (const n of (parts.notes ?? []).slice(0, keep.notes)) out.push({ text: `${n}\n` });
  const steps = (parts.steps ?? []).slice(0, keep.steps);
  if (steps.length > 0) {
    const joined = steps.map((x) => x.replace(/[。；;，,\s]+$/u, "")).join("；");
    out.push({ text: `可以这样做：${joined}。\n` });
  }
  out.push({ text: `${SHORT_DISCLAIMER}${hint}` });
  return out;
}

const length = (segments: Segment[]) => segments.reduce((n, s) => n + s.text.length, 0);

/**
 * The longest version of the answer that fits `maxChars`, dropping the
 * least needed parts first (later steps, notes, later bases), and the whole
 * answer for 「详细」 when anything was dropped.
 */
export function fitAnswer(
  kb: KnowledgeBase,
  parts: AnswerParts,
  maxChars: number,
  /** Off where the resident cannot reply (npm run ask): no 「详细」/「全文」 hints. */
  hints = true,
): { segments: Segment[]; citations: string[]; fuller?: Segment[] } {
  const fullHint = hints ? FULL_TEXT_HINT : "";
  const moreHint = hints ? MORE_HINT : "";
  const all = {
    bases: Math.min(MAX_BASES, parts.bases.length),
    notes: parts.notes?.length ?? 0,
    steps: parts.steps?.length ?? 0,
  };
  const full = assemble(kb, parts, all, fullHint);
  const citations = [
    ...new Set([...(parts.leadKeys ?? []), ...parts.bases.slice(0, MAX_BASES).map((b) => b.key)]),
  ];
  if (length(full) <= maxChars) return { segments: full, citations };
  // Least needed first: later steps, notes, later bases, the first step, the first quote.
  const tries: Keep[] = [
    { ...all, steps: Math.min(1, all.steps) },
    { ...all, steps: Math.min(1, all.steps), notes: 0 },
    { bases: Math.min(2, all.bases), notes: 0, steps: Math.min(1, all.steps) },
    { bases: Math.min(1, all.bases), notes: 0, steps: Math.min(1, all.steps) },
    { bases: Math.min(1, all.bases), notes: 0, steps: 0 },
    { bases: 0, notes: 0, steps: 0, label: true },
    { bases: 0, notes: 0, steps: 0 },
  ];
  for (const keep of tries) {
    const segments = assemble(kb, parts, keep, moreHint);
    if (length(segments) <= maxChars) return { segments, citations, fuller: full };
  }
  // Even the conclusion alone is too long: cut the lead itself, keeping quotes intact where possible.
  const segments = assemble(kb, parts, { bases: 0, notes: 0, steps: 0 }, moreHint);
  let budget = maxChars - moreHint.length - SHORT_DISCLAIMER.length - 2;
  const cut: Segment[] = [];
  for (const s of segments.slice(0, -1)) {
    if (budget <= 0) break;
    cut.push(s.text.length <= budget ? s : { text: `${s.text.slice(0, budget - 1)}…` });
    budget -= s.text.length;
  }
  cut.push({ text: `\n${SHORT_DISCLAIMER}${moreHint}` });
  return { segments: cut, citations, fuller: full };
}
