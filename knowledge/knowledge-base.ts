import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { type Bm25Data, Bm25Index } from "./bm25.ts";
import { DenseIndex, type Embedder } from "./dense.ts";
import { createExpander, loadLexicon } from "./lexicon.ts";
import { NgramEmbedder } from "./ngram-embedder.ts";
import { passagesOf } from "./passages.ts";
import { createReferenceResolver, type DocAliases } from "./references.ts";
import { HybridRetriever } from "./retriever.ts";
import { segmentSource } from "./segment.ts";
import { parseSourceFile, SourceFormatError, type SourceMeta } from "./source-file.ts";
import { createTokenizer } from "./tokenizer.ts";
import type { SourceDocument, Unit } from "./unit.ts";

/** Bump when the index layout or the way text is segmented changes. */
const INDEX_VERSION = 7;

export const DEFAULT_SOURCES_DIR = fileURLToPath(new URL("./sources/", import.meta.url));
export const DEFAULT_INDEX_DIR = fileURLToPath(new URL("../.data/index/", import.meta.url));
const LEXICON_DIR = new URL("./lexicon/", import.meta.url);

export interface OpenOptions {
  sourcesDir?: string;
  /** Where the built index is saved and loaded from; null keeps it in memory only. */
  indexDir?: string | null;
  /** A remote embedder (e.g. an OpenAI-compatible endpoint) instead of the local n-gram one. */
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
}

interface SavedIndex {
  documents: SourceDocument[];
  problems: IngestProblem[];
  bm25: Bm25Data;
  ngram?: [string, number][];
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

function fingerprint(sourcesDir: string, embedderId: string): string {
  const h = createHash("sha256").update(`v${INDEX_VERSION}\n${embedderId}\n`);
  for (const f of sourceFiles(sourcesDir)) h.update(f).update(readFileSync(join(sourcesDir, f)));
  for (const f of readdirSync(LEXICON_DIR, { recursive: true, encoding: "utf8" }).sort()) {
    const file = new URL(f, LEXICON_DIR);
    if (statSync(file).isFile()) h.update(f).update(readFileSync(file));
  }
  return h.digest("hex");
}

function ingest(sourcesDir: string, onProgress?: OpenOptions["onProgress"]) {
  const files = sourceFiles(sourcesDir);
  const documents: SourceDocument[] = [];
  const problems: IngestProblem[] = [];
  files.forEach((f, i) => {
    try {
      const doc = segmentSource(parseSourceFile(f, readFileSync(join(sourcesDir, f), "utf8")));
      if (doc.units.length === 0)
        problems.push({ path: f, line: 1, problem: "没有找到任何条文或章节" });
      else if (documents.some((d) => d.meta.id === doc.meta.id)) {
        problems.push({ path: f, line: 1, problem: `文档 id ${doc.meta.id} 与其他文件重复` });
      } else documents.push(doc);
    } catch (e) {
      if (!(e instanceof SourceFormatError)) throw e;
      problems.push({ path: e.path, line: e.line, problem: e.problem });
    }
    onProgress?.("解析条文", i + 1, files.length);
  });
  return { documents, problems };
}

/**
 * Opens the knowledge base: loads the saved index when it was built from the
 * same sources, lexicon and embedder, otherwise ingests and builds it (and saves it).
 */
export async function openKnowledgeBase(options: OpenOptions = {}): Promise<KnowledgeBase> {
  const sourcesDir = options.sourcesDir ?? DEFAULT_SOURCES_DIR;
  const indexDir = options.indexDir === undefined ? DEFAULT_INDEX_DIR : options.indexDir;
  const lexicon = loadLexicon(LEXICON_DIR);
  const aliases = parse(
    readFileSync(new URL("doc-aliases.yaml", LEXICON_DIR), "utf8"),
  ) as DocAliases;
  const tokenizer = createTokenizer(lexicon);
  const embedderId = options.embedder?.id ?? "ngram";
  const print = fingerprint(sourcesDir, embedderId);
  const manifestPath = indexDir ? join(indexDir, "manifest.json") : "";

  let saved: SavedIndex | undefined;
  let dense: DenseIndex | undefined;
  let built = false;
  if (indexDir && !options.rebuild && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { fingerprint: string };
    if (manifest.fingerprint === print) {
      saved = JSON.parse(readFileSync(join(indexDir, "index.json"), "utf8")) as SavedIndex;
    }
  }

  let embedder: Embedder;
  if (saved) {
    embedder = options.embedder ?? NgramEmbedder.fromJSON(saved.ngram ?? []);
    dense = DenseIndex.load(join(indexDir as string, "dense.hnsw"), embedder.dimensions);
  } else {
    built = true;
    const { documents, problems } = ingest(sourcesDir, options.onProgress);
    const units = documents.flatMap((d) => d.units);
    const passages = passagesOf(units, lexicon.unitKeywords);
    const bm25 = Bm25Index.build(
      passages.map((p, i) => {
        if (i % 50 === 0) options.onProgress?.("分词建索引", i, passages.length);
        return [...tokenizer.tokens(p.text), ...tokenizer.bigrams(p.text)];
      }),
    );
    options.onProgress?.("分词建索引", passages.length, passages.length);
    const ngram = options.embedder ? undefined : NgramEmbedder.fit(passages.map((p) => p.text));
    embedder = options.embedder ?? (ngram as NgramEmbedder);
    const vectors: number[][] = [];
    for (let i = 0; i < passages.length; i += 64) {
      vectors.push(...(await embedder.embed(passages.slice(i, i + 64).map((p) => p.text))));
      options.onProgress?.("向量索引", Math.min(i + 64, passages.length), passages.length);
    }
    dense = DenseIndex.build(vectors, embedder.dimensions);
    saved = {
      documents,
      problems,
      bm25: bm25.toJSON(),
      ...(ngram ? { ngram: ngram.toJSON() } : {}),
    };
    if (indexDir) {
      mkdirSync(indexDir, { recursive: true });
      writeFileSync(join(indexDir, "index.json"), JSON.stringify(saved));
      dense.save(join(indexDir, "dense.hnsw"));
      writeFileSync(
        manifestPath,
        JSON.stringify({
          fingerprint: print,
          builtAt: new Date().toISOString(),
          units: units.length,
        }),
      );
    }
  }

  const { documents, problems } = saved;
  const units = documents.flatMap((d) => d.units);
  const unitKeys = new Set(units.map((u) => u.key));
  const metaById = new Map(documents.map((d) => [d.meta.id, d.meta]));
  const retriever = new HybridRetriever({
    units,
    passages: passagesOf(units, lexicon.unitKeywords),
    bm25: new Bm25Index(saved.bm25),
    dense,
    embedder,
    tokenizer,
    expand: createExpander(lexicon.thesaurus),
    denseWeight: options.embedder ? REMOTE_DENSE_WEIGHT : 0,
    docPrior: new Map(documents.map((d) => [d.meta.id, localPrior(d.meta.jurisdiction)])),
    resolve: createReferenceResolver(
      documents.map((d) => ({ id: d.meta.id, title: d.meta.title, structure: d.structure })),
      (key) => unitKeys.has(key),
      aliases,
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
  };
}
