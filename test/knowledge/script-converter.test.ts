import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { LocalePreset } from "opencc-js/core";
import { describe, expect, it } from "vitest";
import { presetConverter } from "../../knowledge/script-converter.ts";
import { toSimplified, toTraditional } from "../../knowledge/text-normalize.ts";

const require = createRequire(import.meta.url);
type Library = { Converter(o: { from: string; to: string }): (s: string) => string };

/** Every line residents and sources hold: dataset items and the statutes themselves. */
const lines = ["../../eval/datasets/tuning/", "../../knowledge/sources/"].flatMap((rel) => {
  const dir = new URL(rel, import.meta.url).pathname;
  return readdirSync(dir).flatMap((f) =>
    readFileSync(dir + f, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== ""),
  );
});

describe("Traditional and Simplified conversion over opencc-js's dictionaries", () => {
  it("converts every line exactly as opencc-js's own converter, both ways", () => {
    const pairs: [string, string, string, string][] = [
      ["opencc-js/preset/t2cn", "opencc-js/t2cn", "tw", "cn"],
      ["opencc-js/preset/cn2t", "opencc-js/cn2t", "cn", "tw"],
    ];
    for (const [preset, library, from, to] of pairs) {
      const ours = presetConverter(require(preset) as LocalePreset, from, to);
      const theirs = (require(library) as Library).Converter({ from, to });
      const differing = lines.filter((l) => ours(l) !== theirs(l));
      expect(differing, `${from}→${to}`).toEqual([]);
    }
    expect(lines.length).toBeGreaterThan(3000);
  });

  it("reads a Traditional message as Simplified and writes a reply back in Taiwan's forms", () => {
    expect(toSimplified("物業費漲價要業主大會同意嗎")).toBe("物业费涨价要业主大会同意吗");
    expect(toTraditional("维修资金")).toBe("維修資金");
  });
});
