/**
 * Step-by-step guides for owners' committee procedures. The guides themselves
 * are reviewed data in knowledge/guides/procedures/*.yaml (loaded and
 * validated by knowledge/guides.ts); this module matches a resident's message
 * to a guide and renders it as plain text.
 *
 * Pass the knowledge base (or any `has(key)` check) so that a guide shows only
 * the steps whose cited units are loaded: over another province's sources the
 * Henan steps drop out and a guide with nothing left is not offered.
 */
import {
  type Guide,
  GuideSchema,
  type GuideStep,
  GuideStepSchema,
  guideOver,
  type HasUnit,
  loadGuides,
} from "../../knowledge/guides.ts";

export { type Guide, GuideSchema, type GuideStep, GuideStepSchema };

/** All guides as reviewed, before any filtering by the loaded sources. */
export const GUIDES: readonly Guide[] = Object.freeze(loadGuides());

/** What findGuide/getGuide accept to filter by the loaded sources. */
export type UnitSource = HasUnit | { unit(key: string): unknown };

function hasUnit(source: UnitSource | undefined): HasUnit | undefined {
  if (!source) return undefined;
  return typeof source === "function" ? source : (key) => source.unit(key) !== undefined;
}

// ---------------------------------------------------------------------------
// Matching residents' messages

const SYNONYMS: [RegExp, string][] = [
  [/业主委员会/g, "业委会"],
  [/维修基金|维修金|大修基金/g, "维修资金"],
  [/专项维修资金/g, "维修资金"],
  [/物业服务企业|物业服务公司|物业管理公司|物业公司|物业服务人/g, "物业"],
  [/业主大会会议/g, "业主大会"],
  [/首次|头一次|第1次|第一回/g, "第一次"],
  [/2\/3/g, "三分之二"],
  [/3\/4/g, "四分之三"],
];

/** NFKC, lower case, synonyms unified, white space and punctuation removed. */
export function normalizeText(text: string): string {
  let s = text.normalize("NFKC").toLowerCase();
  for (const [re, to] of SYNONYMS) s = s.replace(re, to);
  return s.replace(/[\s\p{P}\p{S}]/gu, "");
}

interface CompiledTrigger {
  re: RegExp;
  weight: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTrigger(trigger: string): CompiledTrigger {
  const parts = trigger
    .split("+")
    .map((p) => normalizeText(p))
    .filter((p) => p.length > 0);
  return {
    re: new RegExp(parts.map(escapeRegExp).join(".{0,8}")),
    weight: parts.reduce((n, p) => n + p.length, 0),
  };
}

const COMPILED = GUIDES.map((guide) => ({ guide, triggers: guide.triggers.map(compileTrigger) }));

/**
 * The guide whose triggers best match the text: the longest matching trigger
 * wins, ties go to the guide with more matching triggers, then to the earlier
 * guide. With `loaded`, the guide comes back with only the steps the loaded
 * sources support, and a guide with none left is never returned.
 */
export function findGuide(text: string, loaded?: UnitSource): Guide | undefined {
  const s = normalizeText(text);
  if (s.length === 0) return undefined;
  const has = hasUnit(loaded);
  let best: { guide: Guide; longest: number; count: number } | undefined;
  for (const { guide: raw, triggers } of COMPILED) {
    const guide = has ? guideOver(raw, has) : raw;
    if (!guide) continue;
    let longest = 0;
    let count = 0;
    for (const t of triggers) {
      if (t.re.test(s)) {
        count++;
        longest = Math.max(longest, t.weight);
      }
    }
    if (count === 0) continue;
    if (
      best === undefined ||
      longest > best.longest ||
      (longest === best.longest && count > best.count)
    ) {
      best = { guide, longest, count };
    }
  }
  return best?.guide;
}

export function getGuide(id: string, loaded?: UnitSource): Guide | undefined {
  const guide = GUIDES.find((g) => g.id === id);
  const has = hasUnit(loaded);
  return guide && has ? guideOver(guide, has) : guide;
}

/**
 * Plain text for WeChat: the title, then "1. …【依据：…】" lines. citeLabel turns
 * a citation key into a readable label (document titles live in the knowledge
 * index). kb.citation echoes the bare key back for a unit it does not have, so
 * such a unit counts as not loaded and its steps are left out (as findGuide
 * with the knowledge base does): a resident never sees a bare key. With
 * maxChars, only the whole steps that fit are listed (the first always is).
 */
export function formatGuide(
  guide: Guide,
  citeLabel: (key: string) => string,
  maxChars = Number.POSITIVE_INFINITY,
): string {
  const shown = guideOver(guide, (key) => citeLabel(key) !== key);
  const lines = [guide.title];
  let length = guide.title.length;
  for (const step of shown?.steps ?? []) {
    const labels = [...new Set(step.cites)].map(citeLabel).join("；");
    const line = `${lines.length}. ${step.text}【依据：${labels}】`;
    // Whole steps only: a step cut mid-sentence or without its basis misleads.
    if (lines.length > 1 && length + 1 + line.length > maxChars) break;
    lines.push(line);
    length += 1 + line.length;
  }
  return lines.join("\n");
}
