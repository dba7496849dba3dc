import type { Hash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What a saved value was worked out from, hashed: files under knowledge/ by
 * name and bytes. Names are relative to knowledge/, so the same files in
 * another checkout hash alike.
 */
const HERE = new URL("./", import.meta.url);

/** The files under these folders, in a fixed order (missing folders hold none). */
export function filesUnder(folders: readonly URL[]): URL[] {
  return folders
    .filter((d) => existsSync(d))
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: "utf8" })
        .sort()
        .map((f) => new URL(f, dir))
        .filter((f) => statSync(f).isFile()),
    );
}

/** The code under knowledge/ (how data is read and checked). */
export function codeFiles(): URL[] {
  return readdirSync(HERE)
    .filter((n) => n.endsWith(".ts"))
    .sort()
    .map((n) => new URL(n, HERE));
}

export function hashFiles(h: Hash, files: readonly URL[]): Hash {
  const base = fileURLToPath(HERE);
  for (const f of files) h.update(relative(base, fileURLToPath(f))).update(readFileSync(f));
  return h;
}
