/**
 * Vote calculator for decisions of the 业主大会 under 民法典第二百七十八条.
 *
 * Article 278 (second paragraph), as given in knowledge/sources/civil-code-2020.md:
 * - participation: 专有部分面积占比三分之二以上的业主 AND 人数占比三分之二以上的业主 take part;
 * - items (六) to (八) of the first paragraph (筹集维修资金; 改建、重建; 改变共有部分用途或者
 *   利用共有部分从事经营活动) need 参与表决专有部分面积四分之三以上 AND 参与表决人数四分之三以上;
 * - every other item, including (五) 使用维修资金, needs 参与表决专有部分面积过半数 AND
 *   参与表决人数过半数.
 *
 * "以上" includes the number itself (民法典第一千二百五十九条), so exactly two thirds or exactly
 * three quarters is enough; "过半数" is strictly more than half, so exactly half fails.
 *
 * All comparisons use exact rational arithmetic on BigInt so that a ratio of exactly 2/3
 * (e.g. 66.8 of 100.2 m²) is never lost to floating-point rounding.
 */
import { z } from "zod";

export const VoteMatterSchema = z.enum(["ordinary", "major"]);
export type VoteMatter = z.infer<typeof VoteMatterSchema>;

export const VoteInputSchema = z.object({
  /** 专有部分总面积, m² */
  totalArea: z.number().positive(),
  /** 业主总人数 (one 专有部分 counts as one person) */
  totalOwners: z.number().int().positive(),
  participatingArea: z.number().nonnegative(),
  participatingOwners: z.number().int().nonnegative(),
  approvingArea: z.number().nonnegative(),
  approvingOwners: z.number().int().nonnegative(),
  /** "major": 民法典第二百七十八条第一款第六项至第八项; "ordinary": every other item */
  matter: VoteMatterSchema,
});
export type VoteInput = z.infer<typeof VoteInputSchema>;
type NumericKey = Exclude<keyof VoteInput, "matter">;

export type VotePasses = boolean | "unknown";

export interface VoteResult {
  passes: VotePasses;
  /** Inputs still needed to decide, in Chinese. */
  missing: string[];
  /** The arithmetic, one plain-Chinese line per check. */
  lines: string[];
  /** Contradictory or invalid inputs, in Chinese (e.g. more participants than owners). */
  problems: string[];
  /** The matter as given; undefined when the caller did not say. */
  matter: VoteMatter | undefined;
}

export const CITATION_LINE = "依据：《中华人民共和国民法典》第二百七十八条";

const FIELD_LABELS: Record<keyof VoteInput, string> = {
  totalArea: "小区专有部分总面积（平方米）",
  totalOwners: "业主总人数（按户计，一套房算一人）",
  participatingArea: "参与表决业主的专有部分面积合计",
  participatingOwners: "参与表决的业主人数",
  approvingArea: "投同意票业主的专有部分面积合计",
  approvingOwners: "投同意票的业主人数",
  matter:
    "表决的是什么事项（例如选聘物业、使用维修资金属于一般事项；筹集维修资金、改建重建、改变共有部分用途或者利用共有部分经营属于需要四分之三同意的事项）",
};

const MATTER_LABELS: Record<VoteMatter, string> = {
  ordinary: "一般事项（民法典第二百七十八条第一款第六项至第八项以外的事项，需过半数同意）",
  major:
    "筹集维修资金、改建重建、改变共有部分用途或者利用共有部分经营（第二百七十八条第一款第六项至第八项，需四分之三以上同意）",
};

// ---------------------------------------------------------------------------
// Exact rational arithmetic

interface Fraction {
  n: bigint;
  d: bigint;
}

/** Converts a finite non-negative JS number to the exact decimal fraction its shortest repr denotes. */
function toFraction(x: number): Fraction {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(x.toString());
  if (!match) throw new Error(`not a finite non-negative number: ${x}`);
  const intPart = match[1] ?? "0";
  const fracPart = match[2] ?? "";
  const exp = Number(match[3] ?? "0") - fracPart.length;
  const digits = BigInt(intPart + fracPart);
  return exp >= 0
    ? { n: digits * 10n ** BigInt(exp), d: 1n }
    : { n: digits, d: 10n ** BigInt(-exp) };
}

/** part / whole >= p / q */
function atLeast(part: number, whole: number, p: number, q: number): boolean {
  const a = toFraction(part);
  const b = toFraction(whole);
  return a.n * b.d * BigInt(q) >= b.n * a.d * BigInt(p);
}

/** part / whole > 1 / 2 */
function moreThanHalf(part: number, whole: number): boolean {
  const a = toFraction(part);
  const b = toFraction(whole);
  return a.n * b.d * 2n > b.n * a.d;
}

/** part / whole == p / q */
function exactlyEquals(part: number, whole: number, p: number, q: number): boolean {
  const a = toFraction(part);
  const b = toFraction(whole);
  return a.n * b.d * BigInt(q) === b.n * a.d * BigInt(p);
}

// ---------------------------------------------------------------------------
// Display helpers (display only; decisions never use these)

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

function fmt(x: number): string {
  return numberFormat.format(x);
}

function pct(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(2)}%`;
}

type Threshold = "twoThirds" | "threeQuarters" | "moreThanHalf";

const THRESHOLD_WORDS: Record<Threshold, string> = {
  twoThirds: "三分之二以上",
  threeQuarters: "四分之三以上",
  moreThanHalf: "过半数",
};

function meets(part: number, whole: number, t: Threshold): boolean {
  switch (t) {
    case "twoThirds":
      return atLeast(part, whole, 2, 3);
    case "threeQuarters":
      return atLeast(part, whole, 3, 4);
    case "moreThanHalf":
      return moreThanHalf(part, whole);
  }
}

function onBoundary(part: number, whole: number, t: Threshold): boolean {
  switch (t) {
    case "twoThirds":
      return exactlyEquals(part, whole, 2, 3);
    case "threeQuarters":
      return exactlyEquals(part, whole, 3, 4);
    case "moreThanHalf":
      return exactlyEquals(part, whole, 1, 2);
  }
}

/** Smallest whole number of people that meets the threshold. */
function minimumHeadcount(whole: number, t: Threshold): number {
  switch (t) {
    // Integer ceilings: ceil(2w/3) = floor((2w+2)/3), ceil(3w/4) = floor((3w+3)/4).
    case "twoThirds":
      return Math.floor((2 * whole + 2) / 3);
    case "threeQuarters":
      return Math.floor((3 * whole + 3) / 4);
    case "moreThanHalf":
      return Math.floor(whole / 2) + 1;
  }
}

/** "即 60,000" when whole * p / q has at most two decimals, otherwise "约 66,666.67". */
function approxShare(whole: number, p: number, q: number): string {
  const f = toFraction(whole);
  const exact = (f.n * BigInt(p) * 100n) % (f.d * BigInt(q)) === 0n;
  return `${exact ? "即" : "约"} ${fmt((whole * p) / q)}`;
}

function areaRequirement(whole: number, t: Threshold): string {
  switch (t) {
    case "twoThirds":
      return `三分之二${approxShare(whole, 2, 3)} 平方米`;
    case "threeQuarters":
      return `四分之三${approxShare(whole, 3, 4)} 平方米`;
    case "moreThanHalf":
      return `须超过 ${fmt(whole / 2)} 平方米`;
  }
}

// ---------------------------------------------------------------------------
// The calculator

type Tri = true | false | "unknown";

function and(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  if (values.includes("unknown")) return "unknown";
  return true;
}

function isNum(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/**
 * Applies 民法典第二百七十八条 to the figures given. Fields may be missing: a check that cannot be
 * made is "unknown", and the result is false as soon as one check that can be made fails
 * (every condition must hold), otherwise "unknown" until all needed figures are known.
 */
export function computeVote(input: Partial<VoteInput>): VoteResult {
  const lines: string[] = [];
  const problems: string[] = [];
  const missing = new Set<keyof VoteInput>();

  // Validate each figure on its own; an invalid figure is treated as missing and reported.
  const value = (key: NumericKey): number | undefined => {
    const v = input[key];
    if (v === undefined || v === null) {
      return undefined;
    }
    const ok = VoteInputSchema.shape[key].safeParse(v).success && isNum(v);
    if (!ok) {
      const isCount = key.endsWith("Owners");
      problems.push(
        `${FIELD_LABELS[key]}填写有误（${String(v)}），应为${isCount ? "非负整数" : "非负数"}${
          key.startsWith("total") ? "且大于零" : ""
        }`,
      );
      return undefined;
    }
    return v;
  };

  const totalArea = value("totalArea");
  const totalOwners = value("totalOwners");
  const participatingArea = value("participatingArea");
  const participatingOwners = value("participatingOwners");
  const approvingArea = value("approvingArea");
  const approvingOwners = value("approvingOwners");
  const matterParse = VoteMatterSchema.safeParse(input.matter);
  const matter: VoteMatter | undefined = matterParse.success ? matterParse.data : undefined;
  if (input.matter !== undefined && !matterParse.success) {
    problems.push(`表决事项类型无法识别（${String(input.matter)}）`);
  }

  // Consistency checks.
  if (isNum(participatingArea) && isNum(totalArea) && participatingArea > totalArea) {
    problems.push("参与表决的面积大于小区专有部分总面积，请核对数据");
  }
  if (isNum(participatingOwners) && isNum(totalOwners) && participatingOwners > totalOwners) {
    problems.push("参与表决的人数大于业主总人数，请核对数据");
  }
  if (isNum(approvingArea) && isNum(participatingArea) && approvingArea > participatingArea) {
    problems.push("同意的面积大于参与表决的面积，请核对数据");
  }
  if (
    isNum(approvingOwners) &&
    isNum(participatingOwners) &&
    approvingOwners > participatingOwners
  ) {
    problems.push("同意的人数大于参与表决的人数，请核对数据");
  }

  const boundaryNotes: string[] = [];

  // One check: `part` of `whole` against threshold `t`.
  const check = (
    label: string,
    unit: "area" | "people",
    part: number | undefined,
    whole: number | undefined,
    t: Threshold,
    partKey: keyof VoteInput,
    wholeKey: keyof VoteInput,
    wholeWord: string,
  ): Tri => {
    if (part !== undefined && whole !== undefined && whole <= 0) {
      lines.push(`${label}：参与表决的数量为零，不能通过`);
      return false;
    }
    if (part === undefined || whole === undefined) {
      if (part === undefined) missing.add(partKey);
      if (whole === undefined) missing.add(wholeKey);
      lines.push(`${label}：缺少数据，暂时无法计算`);
      return "unknown";
    }
    const ok = meets(part, whole, t);
    const unitWord = unit === "area" ? " 平方米" : " 人";
    const requirement =
      unit === "area" ? areaRequirement(whole, t) : `至少 ${fmt(minimumHeadcount(whole, t))} 人`;
    lines.push(
      `${label} ${fmt(part)}/${fmt(whole)}${unitWord} = ${pct(part, whole)}，需达到${wholeWord}${
        THRESHOLD_WORDS[t]
      }（${requirement}）：${ok ? "达到" : "未达到"}`,
    );
    if (onBoundary(part, whole, t)) {
      boundaryNotes.push(
        t === "moreThanHalf"
          ? `${label}恰好是一半，“过半数”必须超过一半，恰好一半不算通过`
          : `${label}恰好等于${t === "twoThirds" ? "三分之二" : "四分之三"}，法律所称“以上”包括本数，算达到`,
      );
    }
    return ok;
  };

  // 1. Participation.
  const partArea = check(
    "参与表决面积",
    "area",
    participatingArea,
    totalArea,
    "twoThirds",
    "participatingArea",
    "totalArea",
    "总面积的",
  );
  const partOwners = check(
    "参与表决人数",
    "people",
    participatingOwners,
    totalOwners,
    "twoThirds",
    "participatingOwners",
    "totalOwners",
    "总人数的",
  );

  // 2. Approval, relative to those who took part.
  let apprArea: Tri;
  let apprOwners: Tri;
  if (matter !== undefined) {
    const t: Threshold = matter === "major" ? "threeQuarters" : "moreThanHalf";
    apprArea = check(
      "同意面积",
      "area",
      approvingArea,
      participatingArea,
      t,
      "approvingArea",
      "participatingArea",
      "参与表决面积的",
    );
    apprOwners = check(
      "同意人数",
      "people",
      approvingOwners,
      participatingOwners,
      t,
      "approvingOwners",
      "participatingOwners",
      "参与表决人数的",
    );
  } else {
    // Matter unknown: decisive only when both thresholds give the same answer.
    const both = (
      label: string,
      unit: "area" | "people",
      part: number | undefined,
      whole: number | undefined,
      partKey: keyof VoteInput,
      wholeKey: keyof VoteInput,
      wholeWord: string,
    ): Tri => {
      const strict = check(label, unit, part, whole, "threeQuarters", partKey, wholeKey, wholeWord);
      if (strict === "unknown") return "unknown";
      if (strict) return true;
      const lax = check(label, unit, part, whole, "moreThanHalf", partKey, wholeKey, wholeWord);
      return lax ? "unknown" : false;
    };
    apprArea = both(
      "同意面积",
      "area",
      approvingArea,
      participatingArea,
      "approvingArea",
      "participatingArea",
      "参与表决面积的",
    );
    apprOwners = both(
      "同意人数",
      "people",
      approvingOwners,
      participatingOwners,
      "approvingOwners",
      "participatingOwners",
      "参与表决人数的",
    );
    if (apprArea === "unknown" || apprOwners === "unknown") missing.add("matter");
  }

  lines.push(...boundaryNotes);

  let passes: VotePasses = and(partArea, partOwners, apprArea, apprOwners);
  if (problems.length > 0 && passes === true) passes = "unknown";

  const order: (keyof VoteInput)[] = [
    "totalArea",
    "totalOwners",
    "participatingArea",
    "participatingOwners",
    "approvingArea",
    "approvingOwners",
    "matter",
  ];
  return {
    passes,
    missing: order.filter((k) => missing.has(k)).map((k) => FIELD_LABELS[k]),
    lines,
    problems,
    matter,
  };
}

/** Plain-text reply for WeChat (no Markdown). */
export function formatVote(result: VoteResult): string {
  const out: string[] = [];
  out.push(
    result.matter
      ? `表决事项：${MATTER_LABELS[result.matter]}`
      : "表决事项：未说明（一般事项需过半数同意；筹集维修资金、改建重建、改变共有部分用途或者经营需四分之三以上同意）",
  );
  out.push(
    "参与条件：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决（“以上”包括本数）。",
  );
  out.push(...result.lines);
  if (result.problems.length > 0) {
    out.push("数据需要核对：");
    out.push(...result.problems.map((p, i) => `${i + 1}. ${p}`));
  }
  if (result.passes === true) {
    out.push("结论：按以上数据，参与和同意的比例都达到要求，表决通过。");
  } else if (result.passes === false) {
    out.push("结论：按以上数据，至少有一项比例没有达到要求，表决未通过。");
  } else if (result.problems.length > 0) {
    out.push("结论：数据有矛盾，暂时无法判断，核对后可以再发给我算一遍。");
  } else {
    out.push("结论：现有数据还不够，暂时无法判断是否通过。");
  }
  if (result.missing.length > 0) {
    out.push(
      result.passes === false
        ? "另外还缺少以下数据（不影响“未通过”的结论）："
        : "请补充以下数据，我再帮您算：",
    );
    out.push(...result.missing.map((m, i) => `${i + 1}. ${m}`));
  }
  out.push(CITATION_LINE);
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// Parsing residents' messages

type Role = "total" | "participating" | "approving" | "ignore";

const VOTE_WORDS = /投票|表决|同意|赞成|票|参加|参与|签字/;
const STRONG_VOTE_WORDS = /投票|表决|计票|票数/;

const ROLE_PATTERNS: [Role, RegExp][] = [
  ["ignore", /不同意|反对|弃权|没同意|不赞成|没投|未投|没参加|没参与|未参加|未参与/],
  ["approving", /同意|赞成|支持|签字/],
  ["participating", /参加|参与|投票|投了票|投了|表决|到会|出席|签到|交了票|交票/],
  ["total", /总|一共|共有|共计|全部|全体|全小区|整个小区|合计/],
];

// Major matters: 民法典第二百七十八条第一款第六项至第八项. Note: merely *using* the fund is item (五),
// an ordinary matter; only *raising* it (筹集、续筹) is item (六).
const MAJOR_PATTERNS: RegExp[] = [
  /(筹集|续筹|筹措|续交|补交|补缴|追加|再交|重新交|增交).{0,8}维修(资金|基金)/,
  /维修(资金|基金).{0,8}(筹集|续筹|续交|补交|补缴|追加)/,
  /改建|重建|翻建|翻盖/,
  /经营|出租|租出去|租给|广告/,
  /改变.{0,12}用途|改(成|为|作)|变成|挪作/,
];

const NUMBER_RE =
  /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万)?\s*(?:多|余)?\s*(平方米|平米|平方|平|㎡|m²|m2|户|人|名|家|位)?/g;

/** "9.5" + 万 → 95000, exactly (no float multiplication). */
function scaleDecimal(raw: string, wan: boolean): number {
  const plain = raw.replaceAll(",", "");
  if (!wan) return Number(plain);
  const [intPart = "0", fracPart = ""] = plain.split(".");
  const padded = fracPart.padEnd(4, "0");
  const shifted = `${intPart}${padded.slice(0, 4)}${padded.length > 4 ? `.${padded.slice(4)}` : ""}`;
  return Number(shifted);
}

function roleOf(clause: string): Role | undefined {
  for (const [role, re] of ROLE_PATTERNS) {
    if (re.test(clause)) return role;
  }
  return undefined;
}

/**
 * Extracts the figures of a vote from a resident's message, e.g.
 * "全小区共1000户、建筑面积15万平，投了票的700户、10万平，赞成的520户、8万平，要用维修资金更新电梯".
 * Returns undefined when the message is not about counting a vote.
 */
export function parseVoteQuestion(text: string): Partial<VoteInput> | undefined {
  const normalized = text.normalize("NFKC");
  if (!VOTE_WORDS.test(normalized)) return undefined;

  const result: Partial<VoteInput> = {};
  // Split on Chinese punctuation before NFKC (which turns "，" into ","), then on ASCII commas
  // that are not thousands separators ("12,000").
  const clauses = text
    .split(/[，。；、！？\n]|其中/)
    .flatMap((c) => c.normalize("NFKC").split(/[;!?]|(?<!\d),|,(?!\d{3}(?!\d))/));
  let previous: Role | undefined;
  let found = 0;

  for (const clause of clauses) {
    const role = roleOf(clause) ?? previous ?? "total";
    previous = role;
    if (role === "ignore") continue;
    for (const m of clause.matchAll(NUMBER_RE)) {
      const raw = m[1];
      if (raw === undefined) continue;
      const wan = m[2] !== undefined;
      const unit = m[3];
      const before = clause.slice(0, m.index);
      let kind: "area" | "owners" | undefined;
      if (unit !== undefined && /^(户|人|名|家|位)$/.test(unit)) kind = "owners";
      else if (unit !== undefined) kind = "area";
      else if (/面积[^\d]*$/.test(before) || (wan && /面积/.test(clause))) kind = "area";
      else if (/(户数|人数)[^\d]*$/.test(before)) kind = "owners";
      if (kind === undefined) continue;

      const v = scaleDecimal(raw, wan);
      const key: NumericKey =
        role === "total"
          ? kind === "area"
            ? "totalArea"
            : "totalOwners"
          : role === "participating"
            ? kind === "area"
              ? "participatingArea"
              : "participatingOwners"
            : kind === "area"
              ? "approvingArea"
              : "approvingOwners";
      if (result[key] === undefined) {
        result[key] = v;
        found++;
      }
    }
  }

  if (found === 0) return undefined;
  // Totals alone ("一共860户") are only a vote question when the message says so.
  const hasTotals = result.totalArea !== undefined || result.totalOwners !== undefined;
  const hasVoteFigures = Object.keys(result).some((k) => !k.startsWith("total"));
  if (!hasVoteFigures && !(hasTotals && STRONG_VOTE_WORDS.test(normalized))) return undefined;
  result.matter = MAJOR_PATTERNS.some((re) => re.test(normalized)) ? "major" : "ordinary";
  return result;
}
