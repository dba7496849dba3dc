/**
 * Traditional ↔ Simplified conversion over opencc-js's own dictionaries,
 * held compactly. opencc-js keeps each dictionary group as a trie of Map
 * nodes, one per character of every phrase: about 190 000 Maps and 70 MB for
 * Traditional → Simplified alone, more than the rest of the chat process.
 * Here each group is one Map from phrase to replacement, matched longest
 * first, which converts the same text the same way (a test compares them on
 * every dataset line) in a tenth of the memory.
 */
import type { DictGroup, DictLike, LocalePreset } from "opencc-js/core";

export type Convert = (text: string) => string;

interface Table {
  entries: Map<string, string>;
  /** The lengths of the phrases starting with each first UTF-16 unit, longest first. */
  lengths: Map<string, number[]>;
}

function entriesOf(dict: DictLike): [string, string][] {
  if (typeof dict !== "string") return dict.map(([from, to]) => [from, to] as [string, string]);
  if (dict === "") return [];
  return dict.split("|").map((line) => {
    const [from = "", to = ""] = line.split(" ");
    return [from, to];
  });
}

/** The first dictionary of a group wins where two hold the same phrase (as in opencc-js). */
function tableOf(group: DictGroup): Table {
  const entries = new Map<string, string>();
  const lengths = new Map<string, number[]>();
  for (const dict of [...group].reverse()) {
    for (const [from, to] of entriesOf(dict)) {
      if (from === "") continue;
      entries.set(from, to);
      const first = from[0] as string;
      const known = lengths.get(first);
      if (!known) lengths.set(first, [from.length]);
      else if (!known.includes(from.length)) known.push(from.length);
    }
  }
  for (const known of lengths.values()) known.sort((a, b) => b - a);
  return { entries, lengths };
}

/** An ideographic description sequence (⿰氵青) is one unit, as opencc-js treats it. */
function descriptionEnd(s: string, i: number): number {
  const cp = s.codePointAt(i) ?? 0;
  const arity =
    cp >= 0x2ff0 && cp <= 0x2ff1
      ? 2
      : cp >= 0x2ff2 && cp <= 0x2ff3
        ? 3
        : cp >= 0x2ff4 && cp <= 0x2fff
          ? 2
          : 0;
  if (arity === 0) return 0;
  let end = i + (cp > 0xffff ? 2 : 1);
  for (let n = 0; n < arity; n++) {
    if (end >= s.length) return 0;
    const child = descriptionEnd(s, end);
    end = child || end + ((s.codePointAt(end) ?? 0) > 0xffff ? 2 : 1);
  }
  return end;
}

/**
 * Walks the text longest match first. Each piece is either a phrase of the
 * table (with its replacement) or a run of text the table does not hold.
 */
function pieces(table: Table, s: string): { text: string; value?: string }[] {
  const out: { text: string; value?: string }[] = [];
  let plainFrom = -1;
  for (let i = 0; i < s.length; ) {
    let value: string | undefined;
    let end = i;
    for (const len of table.lengths.get(s[i] as string) ?? []) {
      if (i + len > s.length) continue;
      value = table.entries.get(s.slice(i, i + len));
      if (value !== undefined) {
        end = i + len;
        break;
      }
    }
    if (value !== undefined) {
      if (plainFrom >= 0) out.push({ text: s.slice(plainFrom, i) });
      plainFrom = -1;
      out.push({ text: s.slice(i, end), value });
      i = end;
    } else {
      if (plainFrom < 0) plainFrom = i;
      const ids = descriptionEnd(s, i);
      i = ids > i ? ids : i + ((s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);
    }
  }
  if (plainFrom >= 0) out.push({ text: s.slice(plainFrom) });
  return out;
}

function convertWith(table: Table, s: string): string {
  return pieces(table, s)
    .map((p) => p.value ?? p.text)
    .join("");
}

/** A converter applying each dictionary group in turn, like opencc-js's ConverterFactory. */
export function compactConverter(...groups: readonly DictGroup[]): Convert {
  const tables = groups.map(tableOf);
  return (text) => tables.reduce((s, table) => convertWith(table, s), text);
}

/** opencc-js's configuration name for a pair of locales (its ConverterBuilder's rule). */
function configName(from: string, to: string): string {
  if (from === "cn") return `s2${to}`;
  if (to === "cn") return from === "hkp" ? "hk2sp" : from === "twp" ? "tw2sp" : `${from}2s`;
  return `${from}2${to}`;
}

type PresetConfig = {
  normalizationChain?: readonly DictGroup[];
  segmentation?: DictLike | DictGroup;
  conversionChain: readonly DictGroup[];
};

/**
 * The converter opencc-js's `Converter({ from, to })` builds from a preset:
 * normalise, cut the text at the segmentation dictionary's phrases, convert
 * each segment through the chain.
 */
export function presetConverter(preset: LocalePreset, from: string, to: string): Convert {
  const config = preset.configs?.[configName(from, to)] as PresetConfig | undefined;
  if (!config) {
    const groups = [...(preset.from[from] ?? []), ...(preset.to[to] ?? [])];
    return compactConverter(...groups);
  }
  const normalize = config.normalizationChain
    ? compactConverter(...config.normalizationChain)
    : (s: string) => s;
  const seg = config.segmentation;
  const segmentation =
    seg === undefined
      ? undefined
      : tableOf(
          Array.isArray(seg) && seg.every((d) => typeof d === "string")
            ? (seg as DictGroup)
            : [seg as DictLike],
        );
  const chain = config.conversionChain.map(tableOf);
  return (text) => {
    const s = normalize(text);
    const segments = segmentation ? pieces(segmentation, s).map((p) => p.text) : [s];
    return segments
      .map((segment) => chain.reduce((t, table) => convertWith(table, t), segment))
      .join("");
  };
}
