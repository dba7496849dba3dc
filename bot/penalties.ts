import { CN_NUMERAL_CHARS, parseChineseNumber } from "../knowledge/chinese-numerals.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchResult } from "../knowledge/retriever.ts";
import { unitText } from "../knowledge/unit.ts";

/**
 * Which units set the penalty for breaking which article: a statute's
 * liability chapter names the article it enforces (违反本条例第三十九条规定…
 * 处…罚款). Read from the loaded sources, so another jurisdiction's statute
 * is read the same way.
 */
const N = `[${CN_NUMERAL_CHARS}\\d]+`;
const VIOLATES = new RegExp(
  `违反本(?:条例|办法|规定|法|细则)((?:第${N}条(?:第${N}款)?(?:第${N}项)?[、，和及或]?)+)`,
  "gu",
);
const ARTICLE = new RegExp(`第(${N})条`, "gu");

const built = new WeakMap<KnowledgeBase, Map<string, string[]>>();

function penaltyIndex(kb: KnowledgeBase): Map<string, string[]> {
  const known = built.get(kb);
  if (known) return known;
  const index = new Map<string, string[]>();
  for (const doc of kb.documents) {
    if (doc.structure !== "articles") continue;
    for (const unit of doc.units) {
      for (const m of unitText(unit).matchAll(VIOLATES)) {
        for (const a of (m[1] ?? "").matchAll(ARTICLE)) {
          const n = parseChineseNumber(a[1] ?? "") ?? Number(a[1]);
          const target = `${doc.meta.id}:${n}`;
          if (!Number.isFinite(n) || target === unit.key || !kb.unit(target)) continue;
          const list = index.get(target) ?? [];
          if (!list.includes(unit.key)) list.push(unit.key);
          index.set(target, list);
        }
      }
    }
  }
  built.set(kb, index);
  return index;
}

/** The units that punish a breach of these units, in the order the units were given. */
export function penaltiesFor(kb: KnowledgeBase, keys: string[]): string[] {
  const index = penaltyIndex(kb);
  return [...new Set(keys.flatMap((k) => index.get(k) ?? []))];
}

/**
 * The hits with these units ranked first, in this order, each scored as the best hit so
 * the answer quotes them too; the rest keep their order.
 */
export function leadWith(kb: KnowledgeBase, result: SearchResult, keys: string[]): SearchResult {
  const top = result.hits[0];
  if (!top) return result;
  const added = keys.flatMap((key) => {
    const unit = kb.unit(key);
    return unit ? [{ ...top, key, unit, exact: key === top.key && top.exact }] : [];
  });
  if (added.length === 0) return result;
  const rest = result.hits.filter((h) => !keys.includes(h.key));
  return { ...result, hits: [...added, ...rest].slice(0, result.hits.length) };
}

/** The hits with the units that punish breaking `topic` ranked first. */
export function penaltiesFirst(
  kb: KnowledgeBase,
  result: SearchResult,
  topic: string[],
): SearchResult {
  const top = result.hits[0]?.key;
  return leadWith(
    kb,
    result,
    penaltiesFor(kb, topic).filter((k) => k !== top),
  );
}

/**
 * The units that lay a duty on the property company (物业服务人应当…, 物业服务企业应当…), read from
 * the loaded sources: what "is the company responsible too?" is answered from.
 */
const COMPANY_DUTY = /(物业服务人|物业服务企业|物业管理人)[^。；]{0,12}应当/u;
const duties = new WeakMap<KnowledgeBase, Set<string>>();

export function companyDutyUnits(kb: KnowledgeBase): Set<string> {
  const known = duties.get(kb);
  if (known) return known;
  const keys = new Set(
    kb.documents.flatMap((d) =>
      d.units.filter((u) => COMPANY_DUTY.test(unitText(u))).map((u) => u.key),
    ),
  );
  duties.set(kb, keys);
  return keys;
}
