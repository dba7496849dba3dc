import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

/**
 * Reviewed YAML (cards, guides, conflict notes) read at every start: parsing
 * it with `yaml` costs far more than the rest of reading it, so each file's
 * parsed value is kept as JSON under .data/cache/, named by the hash of the
 * file's text. An edited file has another hash and is parsed again; a file
 * that parses with errors or warnings, or whose value JSON cannot carry
 * exactly, is never cached, so what the caller sees is what `yaml` gives.
 */
const CACHE_DIR = fileURLToPath(new URL("../.data/cache/yaml/", import.meta.url));

const require = createRequire(import.meta.url);
// Loaded only on a cache miss: a start with every file cached never loads the parser.
let yaml: typeof import("yaml") | undefined;
let yamlVersion: string | undefined;
const parser = () => {
  yaml ??= require("yaml") as typeof import("yaml");
  return yaml;
};

/** The parser's version is part of the key: another version may read the same text differently. */
function version(): string {
  yamlVersion ??= (
    JSON.parse(readFileSync(join(require.resolve("yaml"), "../../package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  return yamlVersion;
}

function cachePath(text: string): string {
  const hash = createHash("sha256").update(`yaml ${version()}\n`).update(text).digest("hex");
  return join(CACHE_DIR, `${hash}.json`);
}

/** The file's YAML value, as `parse` from `yaml` returns it; throws its errors. */
export function readYamlFile(path: string): unknown {
  const text = readFileSync(path, "utf8");
  const cached = cachePath(text);
  try {
    return JSON.parse(readFileSync(cached, "utf8"));
  } catch {
    // Not cached yet (or unreadable): parse below.
  }
  const { parse, parseDocument } = parser();
  const doc = parseDocument(text);
  // parse reports warnings and throws the first error: leave both to it.
  if (doc.errors.length > 0 || doc.warnings.length > 0) return parse(text);
  const value: unknown = doc.toJS();
  const json = JSON.stringify(value);
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      // Renamed into place so a concurrent start never reads half a file.
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, cached);
    } catch {
      // A read-only checkout still works, parsing every time.
    }
  }
  return value;
}
