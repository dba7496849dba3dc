import { CN_NUMERAL_CHARS, parseChineseNumber } from "./chinese-numerals.ts";
import { normalizeForSearch } from "./text-normalize.ts";

export interface DocAliases {
  default?: string;
  aliases: Record<string, string[]>;
}

export interface ReferenceDoc {
  id: string;
  title: string;
  structure: "articles" | "outline";
  /** 平物管〔2024〕2号 */
  docNumber?: string;
}

export interface ResolvedReferences {
  /** Keys of units that exist, in the order they were mentioned. */
  found: string[];
  /** References to units the index does not have (e.g. an article number past the end). */
  missing: { docId: string; unit: string }[];
  /** Documents the question names (民法典里…, 方案中…), so their units can be preferred. */
  docs: string[];
  /**
   * Documents the question names that are not in the index (《某某管理办法》,
   * 某〔2023〕9号): nothing may be said of them, and their article numbers
   * are not read as another document's.
   */
  unknown: string[];
}

const N = `[${CN_NUMERAL_CHARS}\\d]+`;
const ARTICLE_REF = new RegExp(`(第\\s*)?(${N})\\s*条`, "g");
const PART_REF = new RegExp(`第(${N})部分(?:[的中里]?第(${N})[项条点])?`, "g");
const OUTLINE_REF = /([一二三四五六七八九十]+)[、]?[（(]([一二三四五六七八九十]+)[）)]|(\d)\.(\d)/g;
const JOINERS = /[的里中\s《》<>]*$/;
/** A title in book-title marks, or a document number with its issuer's short name. */
const TITLE = /《([^《》]{2,40})》/g;
/** What a title says before a held title's alias when it is another place's document (某某市, 某某省). */
const ANOTHER_PLACE = /[省市县区州]$/u;
const DOC_NUMBER = /([\p{Script=Han}]{1,8})?[〔[（(](\d{4})[〕\]）)](\d{1,4})号/gu;

function derivedAliases(title: string): string[] {
  const bare = title.replace(/（节选）|\(节选\)/g, "");
  return [bare, bare.replace(/^中华人民共和国/, "")];
}

/**
 * Resolves exact references (第三十八条, 河南条例第38条, 民法典944条,
 * 方案第二部分第三项) to unit keys, whatever the wording around them.
 */
export function createReferenceResolver(
  docs: ReferenceDoc[],
  hasUnit: (key: string) => boolean,
  config: DocAliases,
) {
  const known = new Set(docs.map((d) => d.id));
  const aliasList: { alias: string; docId: string }[] = [];
  for (const d of docs) {
    for (const a of [...(config.aliases[d.id] ?? []), ...derivedAliases(d.title)]) {
      aliasList.push({ alias: normalizeForSearch(a), docId: d.id });
    }
  }
  aliasList.sort((a, b) => b.alias.length - a.alias.length);
  const articleDocs = docs.filter((d) => d.structure === "articles");
  const outlineDocs = docs.filter((d) => d.structure === "outline");
  const defaultDoc =
    config.default && known.has(config.default) ? config.default : articleDocs[0]?.id;

  /** The document named right before position `end`, if any. */
  const docBefore = (text: string, end: number): string | undefined => {
    const before = text.slice(0, end).replace(JOINERS, "");
    return aliasList.find((a) => before.endsWith(a.alias))?.docId;
  };
  const docMentioned = (text: string, structure: ReferenceDoc["structure"]) =>
    aliasList.find(
      (a) => text.includes(a.alias) && docs.find((d) => d.id === a.docId)?.structure === structure,
    )?.docId;

  const numbers = new Map(
    docs
      .filter((d) => d.docNumber)
      .map((d) => [(d.docNumber ?? "").replace(/\D+/g, " ").trim(), d.id]),
  );
  /** Titles and numbers the question names that no loaded document has, with where each ends. */
  const unknownNamed = (query: string): { name: string; end: number }[] => {
    const out: { name: string; end: number }[] = [];
    for (const m of query.matchAll(TITLE)) {
      const title = normalizeForSearch(m[1] ?? "");
      // A title that holds a held title's alias after a city's or a province's name is that place's own rules.
      const held = aliasList.some(
        (a) =>
          a.alias.length >= 2 &&
          (a.alias.includes(title) ||
            (title.includes(a.alias) &&
              !ANOTHER_PLACE.test(title.slice(0, title.indexOf(a.alias))))),
      );
      if (!held) out.push({ name: m[0], end: m.index + m[0].length });
    }
    for (const m of query.matchAll(DOC_NUMBER)) {
      const digits = `${m[2]} ${m[3]}`;
      if (!numbers.has(digits)) out.push({ name: m[0], end: m.index + m[0].length });
    }
    return out;
  };

  return (query: string, contextDoc?: string): ResolvedReferences => {
    const text = normalizeForSearch(query);
    const unknown = unknownNamed(query);
    const result: ResolvedReferences = {
      unknown: unknown.map((u) => u.name),
      found: [],
      missing: [],
      // Short aliases (方案, 民法) are too common in questions to mean the document.
      docs: [
        ...new Set(
          aliasList
            .filter((a) => a.alias.length >= 3 && text.includes(a.alias))
            .map((a) => a.docId),
        ),
      ],
    };
    const add = (docId: string, unit: string) => {
      const key = `${docId}:${unit}`;
      if (hasUnit(key)) {
        if (!result.found.includes(key)) result.found.push(key);
      } else if (!result.missing.some((m) => m.docId === docId && m.unit === unit)) {
        result.missing.push({ docId, unit });
      }
    };

    // 《某某办法》第十二条 is that document's article, not ours.
    if (unknown.length > 0) return result;
    for (const m of text.matchAll(ARTICLE_REF)) {
      const named = docBefore(text, m.index);
      // "3条建议" is not a reference: without 第 a document must be named.
      if (!m[1] && !named) continue;
      const n = parseChineseNumber(m[2] ?? "");
      const docId = named ?? contextDoc ?? defaultDoc;
      if (n === undefined || !docId) continue;
      if (docs.find((d) => d.id === docId)?.structure === "outline") continue;
      add(docId, String(n));
    }

    const outlineDoc =
      docMentioned(text, "outline") ??
      (contextDoc && outlineDocs.find((d) => d.id === contextDoc)?.id);
    if (outlineDoc) {
      for (const m of text.matchAll(PART_REF)) {
        const top = parseChineseNumber(m[1] ?? "");
        const sub = m[2] ? parseChineseNumber(m[2]) : undefined;
        if (top !== undefined) add(outlineDoc, sub === undefined ? String(top) : `${top}.${sub}`);
      }
      for (const m of text.matchAll(OUTLINE_REF)) {
        const top = m[3] ?? String(parseChineseNumber(m[1] ?? "") ?? "");
        const sub = m[4] ?? String(parseChineseNumber(m[2] ?? "") ?? "");
        if (top && sub) add(outlineDoc, `${top}.${sub}`);
      }
    }
    return result;
  };
}

export type ReferenceResolver = ReturnType<typeof createReferenceResolver>;
