import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { type Bm25Data, Bm25Index } from "./bm25.ts";
import type { DenseIndex, Embedder } from "./dense.ts";
import { withEnglish } from "./english-glossary.ts";
import { codeFiles, filesUnder, hashFiles } from "./file-hash.ts";
import {
  createExpander,
  createPlaceStripper,
  createTypoFixer,
  type ExpansionPair,
  type TypoPair,
} from "./lexicon.ts";
import { passagesOf } from "./passages.ts";
import { createReferenceResolver, type DocAliases } from "./references.ts";
import { HybridRetriever } from "./retriever.ts";
import type { SourceMeta } from "./source-file.ts";
import { createTokenizer } from "./tokenizer.ts";
import type { SourceDocument, Unit } from "./unit.ts";

/** Bump when the index layout or the way text is segmented changes. */
const INDEX_VERSION = 9;

export const DEFAULT_SOURCES_DIR = fileURLToPath(new URL("./sources/", import.meta.url));
export const DEFAULT_INDEX_DIR = fileURLToPath(new URL("../.data/index/", import.meta.url));
const LEXICON_DIR = new URL("./lexicon/", import.meta.url);
/**
 * Reviewed data whose words the tokenizer must know: the lexicon, and the
 * answer cards, guides and intake phrases matched with the same tokenizer.
 */
const VOCABULARY_DIRS = ["lexicon", "cards", "guides", "intake"].map(
  (d) => new URL(`./${d}/`, import.meta.url),
);

export interface OpenOptions {
  sourcesDir?: string;
  /** Where the built index is saved and loaded from; null keeps it in memory only. */
  indexDir?: string | null;
  /** A remote embedder (e.g. an OpenAI-compatible endpoint): adds the dense side of the index. */
  embedder?: Embedder;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Build even when a saved index matches. */
  rebuild?: boolean;
}

export interface IngestProblem {
  path: string;
  line: number;
  problem: string;
}

export interface KnowledgeBase {
  documents: SourceDocument[];
  retriever: HybridRetriever;
  problems: IngestProblem[];
  /** True when this start built the index rather than loading a saved one. */
  built: boolean;
  unit(key: string): Unit | undefined;
  document(docId: string): SourceMeta | undefined;
  /** 《河南省物业管理条例》第三十八条 */
  citation(key: string): string;
  /**
   * A value worked out from this knowledge base and the reviewed data its
   * fingerprint covers (e.g. the checked answer cards), saved beside the index
   * as `<name>.json` so later starts read it instead of computing it again.
   * `compute` must return plain JSON data; a value JSON would change is
   * returned but not saved. Without a saved index it is just `compute()`.
   */
  derived?<T>(name: string, compute: () => T): T;
}

/**
 * Everything a start needs, in one file, so that a start with a current
 * index parses no YAML, segments no source and loads jieba's small dictionary.
 */
interface SavedIndex {
  documents: SourceDocument[];
  problems: IngestProblem[];
  bm25: Bm25Data;
  /** jieba dictionary cut to the vocabulary (see trimDictionary). */
  dictionary: string;
  lexicon: {
    expansions: ExpansionPair[];
    domainWords: string[];
    stopwords: string[];
    unitKeywords: [string, string[]][];
    typos: TypoPair[];
    placeNames: string[];
    aliases: DocAliases;
  };
}

/**
 * A resident of 平顶山 is governed first by the provincial and city rules,
 * which restate and make concrete the national ones; when both match a
 * question about equally, the local one is the better answer to show first.
 */
function localPrior(jurisdiction: string): number {
  return jurisdiction === "全国" ? 1 : LOCAL_PRIOR;
}
const LOCAL_PRIOR = 1.12;
const REMOTE_DENSE_WEIGHT = 0.5;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort();
}

function vocabularyFiles(): URL[] {
  return filesUnder(VOCABULARY_DIRS);
}

/**
 * The code under knowledge/ (how cards are checked, how text is segmented):
 * a derived value saved by an earlier version of it is worked out again.
 */
function codeFingerprint(): string {
  return hashFiles(createHash("sha256"), codeFiles()).digest("hex");
}

/** A saved derived value: its key on the first line, then the value as JSON. */
function readDerived(path: string, key: string): { value: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const newline = text.indexOf("\n");
  if (newline < 0 || text.slice(0, newline) !== key) return undefined;
  try {
    return { value: JSON.parse(text.slice(newline + 1)) };
  } catch {
    return undefined;
  }
}

function writeDerived(path: string, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) return;
  try {
    // Renamed into place so a concurrent start never reads half a file.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${key}\n${json}`);
    renameSync(tmp, path);
  } catch {
    // Not saved (e.g. a read-only folder): the next start computes it again.
  }
}

function fingerprint(sourcesDir: string, embedderId: string): string {
  const h = createHash("sha256").update(`v${INDEX_VERSION}\n${embedderId}\n`);
  for (const f of sourceFiles(sourcesDir)) h.update(f).update(readFileSync(join(sourcesDir, f)));
  hashFiles(h, vocabularyFiles());
  return h.digest("hex");
}

/** Parses, segments and indexes the sources (only when no saved index is current). */
async function buildIndex(
  sourcesDir: string,
  onProgress?: OpenOptions["onProgress"],
): Promise<SavedIndex> {
  const [{ parse }, { loadLexicon, expansionPairs }, { segmentSource }, sourceFile, tok, norm] =
    await Promise.all([
      import("yaml"),
      import("./lexicon.ts"),
      import("./segment.ts"),
      import("./source-file.ts"),
      import("./tokenizer.ts"),
      import("./text-normalize.ts"),
    ]);
  const files = sourceFiles(sourcesDir);
  const documents: SourceDocument[] = [];
  const problems: IngestProblem[] = [];
  files.forEach((f, i) => {
    try {
      const doc = segmentSource(
        sourceFile.parseSourceFile(f, readFileSync(join(sourcesDir, f), "utf8")),
      );
      if (doc.units.length === 0)
        problems.push({ path: f, line: 1, problem: "没有找到任何条文或章节" });
      else if (documents.some((d) => d.meta.id === doc.meta.id)) {
        problems.push({ path: f, line: 1, problem: `文档 id ${doc.meta.id} 与其他文件重复` });
      } else documents.push(doc);
    } catch (e) {
      if (!(e instanceof sourceFile.SourceFormatError)) throw e;
      problems.push({ path: e.path, line: e.line, problem: e.problem });
    }
    onProgress?.("解析条文", i + 1, files.length);
  });

  const lexicon = loadLexicon(LEXICON_DIR);
  const units = documents.flatMap((d) => d.units);
  const passages = passagesOf(units, lexicon.unitKeywords);
  const vocabulary = norm.normalizeForSearch(
    [
      ...passages.map((p) => p.text),
      ...lexicon.thesaurus.flatMap((e) => [...e.resident, ...e.formal]),
      ...vocabularyFiles().map((f) => readFileSync(f, "utf8")),
    ].join("\n"),
  );
  const dictionary = tok.trimDictionary(tok.fullDictionary(), vocabulary);
  const tokenizer = tok.createTokenizer(lexicon, dictionary);
  const bm25 = Bm25Index.build(
    passages.map((p, i) => {
      if (i % 50 === 0) onProgress?.("分词建索引", i, passages.length);
      return [...tokenizer.tokens(p.text), ...tokenizer.bigrams(p.text)];
    }),
  );
  onProgress?.("分词建索引", passages.length, passages.length);
  return {
    documents,
    problems,
    bm25: bm25.toJSON(),
    dictionary,
    lexicon: {
      expansions: expansionPairs(lexicon.thesaurus),
      domainWords: lexicon.domainWords,
      stopwords: [...lexicon.stopwords],
      unitKeywords: [...lexicon.unitKeywords],
      typos: lexicon.typos,
      placeNames: lexicon.placeNames,
      aliases: parse(readFileSync(new URL("doc-aliases.yaml", LEXICON_DIR), "utf8")) as DocAliases,
    },
  };
}

/**
 * The dense side, only with a remote embedder: measured on the evaluation
 * sets, local n-gram vectors added nothing the bigram BM25 does not already
 * catch, so without an endpoint there is no vector index to build or load.
 */
async function openDense(
  embedder: Embedder,
  texts: string[],
  path: string | undefined,
  reuse: boolean,
  onProgress?: OpenOptions["onProgress"],
): Promise<DenseIndex> {
  const { DenseIndex } = await import("./dense.ts");
  if (reuse && path && existsSync(path)) return DenseIndex.load(path, embedder.dimensions);
  const vectors: number[][] = [];
  for (let i = 0; i < texts.length; i += 64) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + 64))));
    onProgress?.("向量索引", Math.min(i + 64, texts.length), texts.length);
  }
  const dense = DenseIndex.build(vectors, embedder.dimensions);
  if (path) dense.save(path);
  return dense;
}

/**
 * Opens the knowledge base: loads the saved index when it was built from the
 * same sources, lexicon and embedder, otherwise ingests and builds it (and saves it).
 */
export async function openKnowledgeBase(options: OpenOptions = {}): Promise<KnowledgeBase> {
  const sourcesDir = options.sourcesDir ?? DEFAULT_SOURCES_DIR;
  const indexDir = options.indexDir === undefined ? DEFAULT_INDEX_DIR : options.indexDir;
  const print = fingerprint(sourcesDir, options.embedder?.id ?? "lexical");
  const manifestPath = indexDir ? join(indexDir, "manifest.json") : "";

  let saved: SavedIndex | undefined;
  if (indexDir && !options.rebuild && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { fingerprint: string };
    if (manifest.fingerprint === print) {
      saved = JSON.parse(readFileSync(join(indexDir, "index.json"), "utf8")) as SavedIndex;
    }
  }
  const built = saved === undefined;
  if (!saved) {
    saved = await buildIndex(sourcesDir, options.onProgress);
    if (indexDir) {
      mkdirSync(indexDir, { recursive: true });
      writeFileSync(join(indexDir, "index.json"), JSON.stringify(saved));
      // Vectors from an earlier embedder would pair with the wrong passages.
      rmSync(join(indexDir, "dense.hnsw"), { force: true });
    }
  }

  const { documents, problems, lexicon } = saved;
  const units = documents.flatMap((d) => d.units);
  const passages = passagesOf(units, new Map(lexicon.unitKeywords));
  const dense = options.embedder
    ? await openDense(
        options.embedder,
        passages.map((p) => p.text),
        indexDir ? join(indexDir, "dense.hnsw") : undefined,
        !built,
        options.onProgress,
      )
    : undefined;
  if (built && indexDir) {
    // Written last: a start interrupted before this point builds again.
    writeFileSync(
      manifestPath,
      JSON.stringify({
        fingerprint: print,
        builtAt: new Date().toISOString(),
        units: units.length,
      }),
    );
  }

  const unitKeys = new Set(units.map((u) => u.key));
  const metaById = new Map(documents.map((d) => [d.meta.id, d.meta]));
  const retriever = new HybridRetriever({
    units,
    passages,
    bm25: new Bm25Index(saved.bm25),
    ...(dense && options.embedder ? { dense, embedder: options.embedder } : {}),
    tokenizer: createTokenizer(
      { domainWords: lexicon.domainWords, stopwords: new Set(lexicon.stopwords) },
      saved.dictionary,
    ),
    expand: withEnglish(createExpander(lexicon.expansions)),
    fixTypos: createTypoFixer(lexicon.typos),
    stripPlaces: createPlaceStripper(lexicon.placeNames),
    denseWeight: dense ? REMOTE_DENSE_WEIGHT : 0,
    docPrior: new Map(documents.map((d) => [d.meta.id, localPrior(d.meta.jurisdiction)])),
    resolve: createReferenceResolver(
      documents.map((d) => ({
        id: d.meta.id,
        title: d.meta.title,
        structure: d.structure,
        ...(d.meta.doc_number ? { docNumber: d.meta.doc_number } : {}),
      })),
      (key) => unitKeys.has(key),
      lexicon.aliases,
    ),
  });

  return {
    documents,
    retriever,
    problems,
    built,
    unit: (key) => retriever.unit(key),
    document: (docId) => metaById.get(docId),
    citation(key) {
      const unit = retriever.unit(key);
      const meta = unit && metaById.get(unit.docId);
      if (!unit || !meta) return key;
      const title = meta.title.replace(/（节选）$/, "");
      if (unit.number === "0") return `《${title}》（${meta.doc_number ?? "通知正文"}）`;
      if (!unit.heading) return `《${title}》${unit.label}`;
      // 二、实施内容 / 二（三）开展物业管理区域安全隐患整治专项行动
      const headingText = unit.heading.replace(
        /^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[）)]/,
        "",
      );
      return `《${title}》${unit.label}${headingText}`;
    },
    derived<T>(name: string, compute: () => T): T {
      if (!indexDir) return compute();
      const path = join(indexDir, `${name}.json`);
      const key = `${print} ${codeFingerprint()}`;
      const saved = readDerived(path, key);
      if (saved) return saved.value as T;
      const value = compute();
      writeDerived(path, key, value);
      return value;
    },
  };
}
