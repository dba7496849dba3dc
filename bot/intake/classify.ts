import { englishSearchTerms, mostlyEnglish } from "../../knowledge/english-glossary.ts";
import { CATEGORIES, type Category } from "../complaint.ts";
import type { NaiveBayes } from "./classifier.ts";
import { intakeModels } from "./classifier-model.ts";
import { extractCommunity, extractDistrict } from "./extract.ts";

/**
 * Which of the plan's six actions (or other) a complaint belongs to, by the
 * naive Bayes classifier trained on the reviewed sentences in
 * knowledge/intake/training/ (`npx tsx bot/intake/classifier-cli.ts features`
 * prints what it learned).
 */

/** Saying who you are (我是楼长) is not what the complaint is about. */
const SELF_INTRODUCTION = /我(是|在)业(主)?委(员)?会(的)?|我是业主代表/g;

/** The classifier learned from Chinese sentences: an English line is read through the glossary's words. */
function readable(line: string): string {
  return mostlyEnglish(line) ? englishSearchTerms(line) : line;
}

/**
 * Each category's posterior probability × 10, for callers that weigh
 * categories; empty when the text holds nothing the model recognises.
 */
export function scoreCategories(
  text: string,
  model = intakeModels().category,
): Map<Category, number> {
  const prediction = model.predict(readable(text.replace(SELF_INTRODUCTION, "")));
  if (prediction.evidence === 0) return new Map();
  return new Map(CATEGORIES.map((c) => [c, 10 * prediction.probabilities[c]]));
}

/** The best category for the whole complaint so far, or undefined when nothing points anywhere. */
export function classifyComplaint(
  text: string,
  model: NaiveBayes<Category> = intakeModels().category,
): Category | undefined {
  const lines = text
    .replace(SELF_INTRODUCTION, "")
    .split("\n")
    .map(readable)
    .filter((l) => l.trim() !== "");
  if (lines.length <= 1) {
    const prediction = model.predict(lines[0] ?? "");
    return prediction.evidence === 0 ? undefined : prediction.label;
  }
  // Each message votes with its probabilities: read as one text, the n-grams of a
  // long aside (物业费照收, 也不公示) pile up and outweigh the problem itself.
  const votes = new Map<Category, number>();
  let evidence = 0;
  for (const line of lines) {
    const p = model.predict(line);
    evidence += p.evidence;
    if (p.evidence === 0) continue;
    for (const c of CATEGORIES) votes.set(c, (votes.get(c) ?? 0) + p.probabilities[c]);
  }
  if (evidence === 0) return undefined;
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const EXPLICIT =
  /帮(我|俺|忙)?(报|登记|提交)(上去|一下|个)?|(给|替)(我|俺)(报|登记|反映)|报上去|\bcomplain|\b(?:want to|like to|need to|please|help me|can you|let me) (?:report|file|lodge)\b|投诉|举报|反映|曝光|维权|告他们|(我|俺|要|想)告(他|物业|开发商|业委会)|帮我.{0,4}(投诉|反映|登记|处理)/;
const PROBLEM =
  /不管|不修|没人修|没人管|没人理|不理|不给|不让|不交|不走|不公开|不公示|拒不|一直不|从来不|跑了|跑路|撤了|停了|断了|拉了|关了|堵着|堵了|坏了|着火|冒烟|困|漏|乱收|多收|强卖|赖着|删了|天天|半个月|一个星期|好几天|[两三四五六七八九十几]天|[两三四五六七八九十几]个月|！！|!!|凭啥|凭什么|谁负责|快来人|快点|没有|过期|不开|不换|不公布|私自|擅自|没动静|没下文|没回音|不回复|不处理|没反应|不作为|推诿|踢皮球|扯皮|脏|臭|苍蝇|老鼠|蟑螂|积水|没人(抽|修|管|清|理|问)|不归.{0,4}管|推给|一直没|不退|不给退|动手|打人|打了/g;
const QUESTION =
  /[？?]|吗|能不能|可不可以|是否|怎么|咋|如何|谁来|归谁|哪个部门|多少|几天|多久|有没有|算不算|合法|合理|行不行|对不对|有用吗|该不该|有啥|为啥|啥时候|啥意思|会不会|要不要|是不是|中不中/;
/** Dialect and A-not-A questions: 能退钱不, 中不中, 这钱有用没用. */
const QUESTION_FORM =
  /(能|可以|会|算|是|要|行|中|管|犯法|违法)[^，,。！!？?]{0,10}不[。！!？?\s]*$|有(\p{Script=Han}{1,4})没\2/u;

export interface ComplaintSignal {
  /** How strongly the message reads as a problem to be handled. */
  score: number;
  /** It asks something (and deserves an answer, not only an intake). */
  question: boolean;
  /** The resident asked to complain in so many words. */
  explicit: boolean;
}

/**
 * How much the text is about property-management matters at all, from the
 * topic words the classifier recognises (物业费, 业委会, 消防通道 …). On the
 * training sentences 1 + words matches the scale of the cue weights this
 * replaced (mean 2.9 against their 3.1), so the engine's thresholds keep
 * their meaning.
 */
function topicStrength(text: string): number {
  const { evidence } = intakeModels().category.predict(text.replace(SELF_INTRODUCTION, ""));
  return evidence === 0 ? 0 : Math.min(9, 1 + evidence);
}

/** How much a message reads as a complaint, and whether it also asks a question. */
export function complaintSignal(text: string): ComplaintSignal {
  const cue = topicStrength(text);
  const problems = new Set([...text.matchAll(PROBLEM)].map((m) => m[0])).size;
  const explicit = EXPLICIT.test(text);
  // Naming the place (卫东区 东安花园) is what residents do when they report, not when they ask.
  const place = extractDistrict(text) !== undefined || extractCommunity(text) !== undefined;
  return {
    score: cue + 2 * Math.min(problems, 3) + (explicit ? 6 : 0) + (place ? 3 : 0),
    question: QUESTION.test(text) || QUESTION_FORM.test(text),
    explicit,
  };
}
