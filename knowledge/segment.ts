import { CN_NUMERAL_CHARS, parseChineseNumber, toChineseNumber } from "./chinese-numerals.ts";
import type { SourceFile } from "./source-file.ts";
import { type Clause, type SourceDocument, type Unit, unitKey } from "./unit.ts";

const N = `[${CN_NUMERAL_CHARS}\\d]+`;
const ARTICLE = new RegExp(`^第(${N})条[\\s\\u3000]*(.*)$`);
const CHAPTER = new RegExp(`^(?:#+\\s*)?第(${N})章[\\s\\u3000]*(.*)$`);
const SECTION = new RegExp(`^(?:#+\\s*)?第(${N})节[\\s\\u3000]*(.*)$`);
const ITEM = /^[（(][一二三四五六七八九十]+[）)]/;
const OUTLINE_TOP = /^([一二三四五六七八九十]+)、\s*(.*)$/;
const OUTLINE_SUB = /^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$/;
const SENTENCE_PUNCT = /[。；;：:，,、！？!?]/;

/** Web-page chrome and blank filler lines carry no text of the document. */
function cleanLines(file: SourceFile): string[] {
  const lines = file.body.map((l) => l.replace(/[\s\u00a0\u3000]+$/u, "").replace(/^\s+/u, ""));
  // Pages saved from a website start with a few lines of header before the
  // document's own first line, which names the document.
  const titleAt = lines.findIndex((l) => l.includes(file.meta.title) && !l.startsWith("#"));
  const firstTextAt = lines.findIndex((l) => isText(l));
  const start =
    titleAt > firstTextAt && lines.slice(firstTextAt, titleAt).filter(isText).length <= 3
      ? titleAt
      : 0;
  const out: string[] = [];
  for (const line of lines.slice(start)) {
    if (!isText(line)) {
      out.push("");
      continue;
    }
    if (line.startsWith("# ")) continue; // the document title, already in the metadata
    const previous = out.findLast((l) => l !== "");
    if (line === previous) continue; // pages repeat the notice title
    out.push(line);
  }
  return out;
}

function isText(line: string): boolean {
  return line.replace(/[\s\u00a0\u3000|]/gu, "") !== "";
}

function appendParagraph(clauses: Clause[], line: string): void {
  const last = clauses.at(-1);
  if (ITEM.test(line) && last) last.items.push(line);
  else clauses.push({ text: line, items: [] });
}

/** A bare short line right before an article is a heading whose 第N章 prefix was lost. */
function isOrphanHeading(lines: string[], i: number): boolean {
  const line = lines[i] ?? "";
  if (line.length > 25 || SENTENCE_PUNCT.test(line) || ITEM.test(line) || ARTICLE.test(line)) {
    return false;
  }
  const next = lines.slice(i + 1).find((l) => l !== "");
  return next !== undefined && ARTICLE.test(next);
}

function segmentArticles(file: SourceFile, lines: string[]): Unit[] {
  const units: Unit[] = [];
  let chapter: string | undefined;
  let chapterNumber = 0;
  let section: string | undefined;
  let current: Unit | undefined;
  const context = () => [chapter, section].filter((s): s is string => Boolean(s));

  lines.forEach((line, i) => {
    if (line === "") return;
    const ch = CHAPTER.exec(line);
    if (ch) {
      chapterNumber = parseChineseNumber(ch[1] ?? "") ?? chapterNumber + 1;
      chapter = `第${toChineseNumber(chapterNumber)}章 ${(ch[2] ?? "").trim()}`.trim();
      section = undefined;
      current = undefined;
      return;
    }
    const sec = SECTION.exec(line);
    if (sec) {
      section = `第${sec[1]}节 ${(sec[2] ?? "").trim()}`.trim();
      current = undefined;
      return;
    }
    const art = ARTICLE.exec(line);
    if (art) {
      const n = parseChineseNumber(art[1] ?? "");
      if (n === undefined) return;
      current = {
        key: unitKey(file.meta.id, String(n)),
        docId: file.meta.id,
        number: String(n),
        label: `第${toChineseNumber(n)}条`,
        context: context(),
        clauses: [{ text: (art[2] ?? "").trim(), items: [] }],
      };
      units.push(current);
      return;
    }
    if (line.startsWith("#") || (current && isOrphanHeading(lines, i))) {
      const title = line.replace(/^#+\s*/, "");
      if (chapterNumber > 0 || !line.startsWith("#")) {
        chapterNumber += 1;
        chapter = `第${toChineseNumber(chapterNumber)}章 ${title}`;
      } else {
        chapter = title;
      }
      section = undefined;
      current = undefined;
      return;
    }
    // Text before the first article (a preamble) is not a citable unit.
    if (current) appendParagraph(current.clauses, line);
  });
  return units;
}

function segmentOutline(file: SourceFile, lines: string[]): Unit[] {
  const units: Unit[] = [];
  const make = (number: string, label: string, context: string[], heading?: string): Unit => {
    const unit: Unit = {
      key: unitKey(file.meta.id, number),
      docId: file.meta.id,
      number,
      label,
      context,
      clauses: [],
      ...(heading ? { heading } : {}),
    };
    units.push(unit);
    return unit;
  };
  let current = make("0", "文件开头", []);
  let top: { n: number; numeral: string; title: string } | undefined;
  for (const line of lines) {
    if (line === "") continue;
    const t = OUTLINE_TOP.exec(line);
    if (t) {
      const n = parseChineseNumber(t[1] ?? "") ?? 0;
      top = { n, numeral: t[1] ?? "", title: line };
      current = make(String(n), `${top.numeral}、`, [], line);
      continue;
    }
    const s = top ? OUTLINE_SUB.exec(line) : null;
    if (s && top) {
      const m = parseChineseNumber(s[1] ?? "") ?? 0;
      current = make(`${top.n}.${m}`, `${top.numeral}（${s[1]}）`, [top.title], line);
      continue;
    }
    appendParagraph(current.clauses, line);
  }
  // A top-level section with no text of its own before its first （一） is only a heading.
  return units.filter((u) => u.clauses.length > 0 || u.number.includes("."));
}

/** Splits a validated source file into citable units. */
export function segmentSource(file: SourceFile): SourceDocument {
  const lines = cleanLines(file);
  const hasArticles = lines.some((l) => ARTICLE.test(l));
  const units = hasArticles ? segmentArticles(file, lines) : segmentOutline(file, lines);
  return { meta: file.meta, structure: hasArticles ? "articles" : "outline", units };
}
