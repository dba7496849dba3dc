import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { DISTRICTS } from "../bot/complaint.ts";
import { normalizeForSearch } from "../knowledge/text-normalize.ts";

/**
 * Evaluation hygiene: finds wording the project's reviewed data, rules and
 * comments share with evaluation items. Quality is judged on data nobody here
 * sees, so a lexicon entry or rule that repeats an item's wording tunes to that
 * item instead of to residents' language in general.
 *
 * Two ways a fragment counts as copied from an item:
 * - it shares a run of RUN_LENGTH Han characters with the item (punctuation,
 *   digits and spaces removed on both sides) that the sources themselves do
 *   not contain — a shared run that is a phrase of the law is legal vocabulary,
 *   not a copy;
 * - its character bigrams overlap the item's with Jaccard ≥ JACCARD (a
 *   reworded near-copy), or, for a question-length fragment, CONTAINED of its
 *   bigrams are the item's (the item shortened), unless the fragment is itself
 *   legal vocabulary.
 *
 * Legal vocabulary: the sources' text, each document's title with each of its
 * article labels (《河南省物业管理条例》第三十八条) and the documents' short
 * names (doc-aliases.yaml), and the city's district names (CONTRACTS §4): a
 * resident naming a law or a place is not wording to copy.
 *
 * Findings name our file and line and the item's file and id, never the
 * item's text: held-out items are read here but must not be shown.
 */

export const RUN_LENGTH = 8;
export const JACCARD = 0.6;
/** Shorter fragments are words, not wording: their bigram overlap means nothing. */
const MIN_JACCARD_CHARS = 6;
/** A question-length fragment nearly all of whose bigrams one item has is that item cut down. */
const CONTAINED = 0.8;
const MIN_CONTAINED_CHARS = 8;

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const SHARED_SAMPLES_DIR = join(PROJECT_ROOT, "../shared/eval-samples");
/** Digest of the shared sample's wording, so the check holds without ../shared. */
export const SHARED_DIGEST = fileURLToPath(new URL("./hygiene-shared-digest.tsv", import.meta.url));

/** Where the project keeps reviewed data (every line) and code (literals and comments). */
export const DATA_DIRS = [
  "knowledge/lexicon",
  "knowledge/cards",
  "knowledge/guides",
  "knowledge/intake",
  "prompts",
];
export const CODE_DIRS = ["bot", "knowledge", "bin"];

export interface EvalItem {
  /** Dataset file, relative to the project root or the shared folder. */
  file: string;
  id: string;
  /** Normalised Han text of each question or turn. */
  texts: string[];
}

export interface Fragment {
  file: string;
  line: number;
  text: string;
}

export interface Finding {
  file: string;
  line: number;
  itemFile: string;
  itemId: string;
  rule: "run" | "jaccard" | "contained";
}

/** Only the Han characters, in the search form (Simplified, lower case). */
export function hanOnly(text: string): string {
  return (normalizeForSearch(text).match(/\p{Script=Han}+/gu) ?? []).join("");
}

function grams(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= text.length; i++) out.push(text.slice(i, i + n));
  return out;
}

const digests = new Map<string, string>();
function digest(s: string): string {
  let d = digests.get(s);
  if (d === undefined) {
    d = createHash("sha256").update(s).digest("base64url").slice(0, 12);
    digests.set(s, d);
  }
  return d;
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((p) => !p.includes("node_modules") && statSync(p).isFile() && keep(p))
    .sort();
}

/** Texts residents send in one dataset line: a question, complaint turns, dialogue turns. */
function itemTexts(raw: unknown): string[] {
  if (typeof raw !== "object" || raw === null) return [];
  const o = raw as { question?: unknown; turns?: unknown };
  const out: string[] = [];
  if (typeof o.question === "string") out.push(o.question);
  if (Array.isArray(o.turns)) {
    for (const t of o.turns) {
      if (typeof t === "string") out.push(t);
      else if (t && typeof (t as { text?: unknown }).text === "string")
        out.push((t as { text: string }).text);
    }
  }
  return out;
}

/** Every evaluation item under the given folders (recursively), read as data, never shown. */
export function loadEvalItems(dirs: { dir: string; base: string }[]): EvalItem[] {
  const items: EvalItem[] = [];
  for (const { dir, base } of dirs) {
    for (const path of walk(dir, (p) => p.endsWith(".jsonl"))) {
      readFileSync(path, "utf8")
        .split(/\r?\n/)
        .forEach((line, i) => {
          if (line.trim() === "") return;
          let raw: unknown;
          try {
            raw = JSON.parse(line);
          } catch {
            return;
          }
          const id = String((raw as { id?: unknown }).id ?? `line ${i + 1}`);
          items.push({ file: relative(base, path), id, texts: itemTexts(raw).map(hanOnly) });
        });
    }
  }
  return items;
}

/** What the check compares against, as digests: an item's runs and bigrams. */
export interface ItemDigest {
  file: string;
  id: string;
  runs: string[];
  bigrams: string[][];
}

function digestItem(item: EvalItem): ItemDigest {
  return {
    file: item.file,
    id: item.id,
    runs: [...new Set(item.texts.flatMap((t) => grams(t, RUN_LENGTH)))].map(digest),
    bigrams: item.texts.map((t) => [...new Set(grams(t, 2))].map(digest)),
  };
}

/**
 * Writes the shared sample's digest (run when ../shared changes): one item a
 * line, file, id, its runs and, per text, its bigrams, as hashes only.
 */
export function writeSharedDigest(dir = SHARED_SAMPLES_DIR, out = SHARED_DIGEST): number {
  const items = loadEvalItems([{ dir, base: join(dir, "..") }]).map(digestItem);
  const line = (d: ItemDigest) =>
    [d.file, d.id, d.runs.join(" "), d.bigrams.map((b) => b.join(" ")).join("|")].join("\t");
  writeFileSync(out, `${items.map(line).join("\n")}\n`);
  return items.length;
}

export function readSharedDigest(path = SHARED_DIGEST): ItemDigest[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [file = "", id = "", runs = "", bigrams = ""] = l.split("\t");
      const words = (s: string) => s.split(" ").filter((w) => w !== "");
      return { file, id, runs: words(runs), bigrams: bigrams.split("|").map(words) };
    });
}

/** Data files: each line, split where YAML/JSON syntax separates entries; a comment whole. */
export function dataFragments(path: string, text: string, root = PROJECT_ROOT): Fragment[] {
  const file = relative(root, path);
  const out: Fragment[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const hash = line.search(/(^|\s)#/);
    const data = hash < 0 ? line : line.slice(0, hash);
    const comment = hash < 0 ? "" : line.slice(hash);
    for (const piece of [...data.split(/[[\]{}",|:]/), ...comment.split(/[A-Za-z][A-Za-z'-]*/)]) {
      const t = hanOnly(piece);
      if (t !== "") out.push({ file, line: i + 1, text: t });
    }
  });
  return out;
}

/** Code: string, template and regex literals and comments (a regex split at its syntax). */
export function codeFragments(path: string, text: string, root = PROJECT_ROOT): Fragment[] {
  const file = relative(root, path);
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: Fragment[] = [];
  const add = (pos: number, raw: string, splitAll: boolean) => {
    const line = source.getLineAndCharacterOfPosition(pos).line + 1;
    // English words between Chinese ones separate two phrases, not one sentence.
    const pieces = raw.split(splitAll ? /[^\p{Script=Han}]+/u : /[A-Za-z][A-Za-z'-]*/);
    for (const p of pieces) {
      const t = hanOnly(p);
      if (t !== "") out.push({ file, line, text: t });
    }
  };
  const seenComments = new Set<number>();
  const comments = (pos: number) => {
    for (const ranges of [
      ts.getLeadingCommentRanges(text, pos),
      ts.getTrailingCommentRanges(text, pos),
    ]) {
      for (const r of ranges ?? []) {
        if (seenComments.has(r.pos)) continue;
        seenComments.add(r.pos);
        // Each comment line on its own, so its line number points at the wording.
        let at = r.pos;
        for (const l of text.slice(r.pos, r.end).split("\n")) {
          add(at, l, false);
          at += l.length + 1;
        }
      }
    }
  };
  const visit = (node: ts.Node) => {
    comments(node.getFullStart());
    if (ts.isRegularExpressionLiteral(node)) add(node.getStart(), node.text, true);
    else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node))
      add(node.getStart(), node.text, false);
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return out;
}

/** Every fragment of the project's reviewed data and code, under `root`. */
export function projectFragments(root = PROJECT_ROOT): Fragment[] {
  const out: Fragment[] = [];
  for (const d of DATA_DIRS)
    for (const p of walk(join(root, d), (f) => /\.(ya?ml|txt|json|md)$/.test(f)))
      out.push(...dataFragments(p, readFileSync(p, "utf8"), root));
  for (const d of CODE_DIRS)
    for (const p of walk(join(root, d), (f) => f.endsWith(".ts")))
      out.push(...codeFragments(p, readFileSync(p, "utf8"), root));
  return out;
}

/** Legal vocabulary as Han runs, one a line: a shared run found here is the law's wording. */
export function sourceText(
  sourcesDir = join(PROJECT_ROOT, "knowledge/sources"),
  aliasesFile = join(PROJECT_ROOT, "knowledge/lexicon/doc-aliases.yaml"),
): string {
  const lines: string[] = [];
  for (const p of walk(sourcesDir, (f) => f.endsWith(".md"))) {
    const text = readFileSync(p, "utf8").split(/\r?\n/);
    const title = hanOnly(text.find((l) => l.startsWith("title:")) ?? "");
    for (const l of text) {
      lines.push(hanOnly(l));
      const label = /^第([一二三四五六七八九十百零〇\d]+)条/.exec(l.trim())?.[0];
      if (label && title) lines.push(hanOnly(`${title}${label}`));
    }
  }
  lines.push(...DISTRICTS.map(hanOnly));
  if (existsSync(aliasesFile)) {
    const names = readFileSync(aliasesFile, "utf8").match(
      /[^\s,[\]:#]*\p{Script=Han}[^\s,[\]:#]*/gu,
    );
    for (const n of names ?? []) lines.push(hanOnly(n));
  }
  return lines.join("\n");
}

export function findCopies(items: ItemDigest[], fragments: Fragment[], sources: string): Finding[] {
  const legalRuns = new Set(sources.split("\n").flatMap((l) => grams(l, RUN_LENGTH).map(digest)));
  const byRun = new Map<string, ItemDigest[]>();
  // Every question or turn by number, and the numbers of those with each bigram.
  const texts: { item: ItemDigest; size: number }[] = [];
  const byBigram = new Map<string, number[]>();
  for (const item of items) {
    for (const r of item.runs) {
      if (legalRuns.has(r)) continue;
      const list = byRun.get(r);
      if (list) list.push(item);
      else byRun.set(r, [item]);
    }
    for (const set of item.bigrams) {
      const t = texts.push({ item, size: set.length }) - 1;
      for (const b of set) {
        const list = byBigram.get(b);
        if (list) list.push(t);
        else byBigram.set(b, [t]);
      }
    }
  }

  const findings = new Map<string, Finding>();
  const report = (f: Fragment, item: ItemDigest, rule: Finding["rule"]) => {
    const key = `${f.file}:${f.line}:${item.file}:${item.id}`;
    if (!findings.has(key))
      findings.set(key, { file: f.file, line: f.line, itemFile: item.file, itemId: item.id, rule });
  };
  const shared = new Uint16Array(texts.length);
  for (const f of fragments) {
    for (const g of grams(f.text, RUN_LENGTH))
      for (const item of byRun.get(digest(g)) ?? []) report(f, item, "run");
    if (f.text.length < MIN_JACCARD_CHARS) continue;
    const mine = [...new Set(grams(f.text, 2))].map(digest);
    const touched: number[] = [];
    for (const b of mine) {
      for (const t of byBigram.get(b) ?? []) {
        if (shared[t] === 0) touched.push(t);
        shared[t] = (shared[t] ?? 0) + 1;
      }
    }
    let legal: boolean | undefined;
    for (const t of touched) {
      const n = shared[t] ?? 0;
      shared[t] = 0;
      const { item, size } = texts[t] as (typeof texts)[number];
      const rule =
        n / (mine.length + size - n) >= JACCARD
          ? "jaccard"
          : f.text.length >= MIN_CONTAINED_CHARS && n / mine.length >= CONTAINED
            ? "contained"
            : undefined;
      if (!rule) continue;
      legal ??= sources.includes(f.text);
      if (!legal) report(f, item, rule);
    }
  }
  return [...findings.values()].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.itemId.localeCompare(b.itemId),
  );
}

/** Evaluation items the project can see: its datasets and, when present, the shared sample. */
export function evaluationDigests(
  root = PROJECT_ROOT,
  sharedDir = SHARED_SAMPLES_DIR,
): ItemDigest[] {
  const own = loadEvalItems([{ dir: join(root, "eval/datasets"), base: root }]).map(digestItem);
  const shared = existsSync(sharedDir)
    ? loadEvalItems([{ dir: sharedDir, base: join(sharedDir, "..") }]).map(digestItem)
    : readSharedDigest();
  return [...own, ...shared];
}

export function checkProject(root = PROJECT_ROOT): Finding[] {
  return findCopies(evaluationDigests(root), projectFragments(root), sourceText());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--write-shared-digest")) {
    console.log(
      `${writeSharedDigest()} items digested into ${relative(PROJECT_ROOT, SHARED_DIGEST)}`,
    );
  } else {
    const findings = checkProject();
    for (const f of findings)
      console.log(`${f.file}:${f.line}\t${f.rule}\t${f.itemFile}#${f.itemId}`);
    console.error(`${findings.length} fragment(s) share wording with an evaluation item`);
    process.exitCode = findings.length > 0 ? 1 : 0;
  }
}
