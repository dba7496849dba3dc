// Plain JavaScript on purpose: it runs before anything can compile TypeScript.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Starts a TypeScript entry point from prebuilt JavaScript instead of through
 * tsx. A one-shot command (npm run ask) otherwise spends most of its time
 * loading tsx and resolving and loading some 170 modules through it.
 *
 * esbuild (which tsx already brings) bundles the entry point on the first
 * start and whenever any file it was built from changes; the result is kept
 * in node_modules/.cache/, so `npm ci` clears it. Each module's
 * `import.meta.url` is fixed to its own source file, so what it finds next to
 * itself (sources, cards, the index) is found exactly as under tsx. Modules
 * imported on demand stay in chunks of their own, and packages stay outside
 * except the ES-module ones every start loads. When building fails the entry
 * point runs through tsx as before.
 */
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CACHE_DIR = join(ROOT, "node_modules/.cache/wuye-assistant/");
/**
 * ES module packages only: esbuild hands a bundled CommonJS package (yaml) to
 * a dynamic import() differently from Node, so those stay outside.
 */
const BUNDLED_PACKAGES = ["zod", "opencc-js"];

const require = createRequire(import.meta.url);

/** What decides whether a built file is current: every input's size and modification time. */
function stamp(inputs) {
  const h = createHash("sha256").update(`${process.version}\n`);
  for (const input of inputs) {
    const s = statSync(join(ROOT, input));
    h.update(`${input} ${s.size} ${s.mtimeMs}\n`);
  }
  return h.digest("hex");
}

function current(metaPath) {
  try {
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    return stamp(meta.inputs) === meta.stamp;
  } catch {
    return false;
  }
}

async function build(entry, outdir, metaPath) {
  const esbuild = await import(pathToFileURL(require.resolve("esbuild")).href);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
  const tmp = `${outdir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    outdir: tmp,
    entryNames: "main",
    outExtension: { ".js": ".mjs" },
    // Modules imported only on demand (the model client, vector index) stay
    // out of the main file, with the packages they load.
    splitting: true,
    absWorkingDir: ROOT,
    external,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "own-import-meta-url",
        setup(b) {
          b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
            if (args.path.includes(join("node_modules", ""))) return undefined;
            const url = JSON.stringify(pathToFileURL(args.path).href);
            const source = readFileSync(args.path, "utf8").replaceAll("import.meta.url", url);
            return { contents: source, loader: "ts" };
          });
        },
      },
    ],
  });
  // Paths relative to the project; anything not a file (esbuild's own stand-ins) is left out.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => existsSync(join(ROOT, p)))
    .sort();
  rmSync(outdir, { recursive: true, force: true });
  renameSync(tmp, outdir);
  writeFileSync(metaPath, JSON.stringify({ stamp: stamp(inputs), inputs }));
}

/** Runs `entry` (a path under the project, e.g. "bin/ask.ts"). */
export async function start(entry) {
  // The checkout's path is part of the name: the built file holds its absolute paths.
  const name = `${entry.replace(/[^a-z0-9]+/gi, "-")}-${createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}`;
  const outdir = join(CACHE_DIR, name);
  const metaPath = join(CACHE_DIR, `${name}.json`);
  if (!current(metaPath)) {
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      await build(entry, outdir, metaPath);
    } catch {
      const { register } = await import("tsx/esm/api");
      register();
      await import(pathToFileURL(join(ROOT, entry)).href);
      return;
    }
  }
  await import(pathToFileURL(join(outdir, "main.mjs")).href);
}
