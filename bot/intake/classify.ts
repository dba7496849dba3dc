import type { Category } from "../complaint.ts";
import { extractCommunity, extractDistrict } from "./extract.ts";

/**
 * Which of the plan's six actions a complaint belongs to, by weighted cues.
 * Reviewed data: each distinct cue word found adds its weight (up to three
 * words per line), the highest total wins, ties go to the earlier category.
 */
const CUES: [Category, RegExp, number][] = [
  // Live danger and fire safety (plan 二（三）).
  ["safety", /着火|起火|失火|火灾|烧起来|烧着|冒烟|黑烟|浓烟|火星|焦糊/g, 5],
  ["safety", /消防|消访|灭火器|消火栓|消防栓|逃生|疏散/g, 4],
  [
    "safety",
    /(电动车|电瓶车|电平车|电车).{0,12}(充电|楼道|上楼|楼梯|插线板)|飞线|插线板|私拉电线/g,
    4,
  ],
  ["safety", /煤气|燃气|天然气|漏气|汽油|柴油|易燃/g, 4],
  ["safety", /电梯.{0,10}(困|卡|关|坠|故障|停运|维保)|困在电梯|被困/g, 4],
  [
    "safety",
    /掉下来|往下掉|脱落|坠落|砸(到|着|死|伤)|差点砸|护栏|锈断|裂开|塌|隐患|危险|报警主机|电表箱/g,
    3,
  ],
  ["safety", /楼道.{0,8}(堆|放|占)|堆满|杂物/g, 2],
  // Fees (plan 二（二）).
  [
    "fees",
    /物业费|管理费|服务费|收费|乱收|多收|涨价|涨到|降价|退钱|退费|催费|催缴|欠费|缴费|交费|手续费|加压费|垃圾费|押金|收据/g,
    3,
  ],
  [
    "fees",
    /(停水|断水|没水|停电|断电|电闸|关.{0,4}(水|电)|停了).{0,20}(费|欠|交清)|(费|欠|交清).{0,20}(停水|断水|没水|停电|断电|电闸|停了|不给充)|电卡|门禁.{0,6}删|不给进/g,
    3,
  ],
  [
    "fees",
    /公示|收支|账目|广告|快递柜|收入|停车费|车位.{0,10}收|收益|一个月收|每户.{0,6}收|这钱/g,
    2,
  ],
  ["fees", /质价不符|收费标准|一级收费|保证金|不退/g, 3],
  // 以停水断电、限制进出、威胁恐吓等非法手段催缴 (plan 二（二）).
  ["fees", /催(费|缴|交).{0,12}(骂|威胁|恐吓|堵门|贴)|老赖|限制.{0,4}进出/g, 3],
  // Owners' organisations (plan 二（一）).
  ["governance", /业委会|业为会|业主委员会|物管会|物业管理委员会/g, 4],
  [
    "governance",
    /业主大会|换届|选举|候选人|罢免|筹备组|备案|公章|刻章|投票|票上|签了名|会议记录/g,
    3,
  ],
  ["governance", /维修基金|维修资金|大修基金/g, 1],
  // Service quality (plan 二（四）).
  [
    "service_quality",
    /报修|维修|不修|没人修|没修|修好|漏水|漏雨|渗水|反水|进水|积水|没人抽|下水道|保洁|卫生|绿化|荒了|草|保安|门岗|大门|路灯|楼道灯|灯坏|暖气|热力|水质|黄水|水箱|监控|丢了|找不着人|空号|锁门|服务差|态度|坏了|变压器|停电.{0,4}天|排队/g,
    2,
  ],
  // Old communities without management (plan 二（五）).
  [
    "coverage",
    /没有物业|没物业|无物业|没人管|弃管|谁都不管|谁也不管|请个物业|引进物业|引个物业|没人收费|没接收|没人牵头/g,
    4,
  ],
  ["coverage", /老旧小区|老小区|老家属院|家属院|老楼|厂子|改制|社区说|没经费|没钱/g, 1],
  // Misconduct (plan 二（六）).
  [
    "misconduct",
    /撤场|撤离|跑路|人全撤|一夜之间|不续了|赖着|不走|拒不移交|不移交|没交给|资料.{0,6}(不交|不给|没交)|图纸|拆走|新物业.{0,6}进场|进不来/g,
    4,
  ],
  [
    "misconduct",
    /强卖|强买|指定|推荐的装修队|统一的|出入证|必须用|必须交给|不买就不让|不装就不|装修.{0,10}(卖|收|拦|不让)/g,
    4,
  ],
  ["misconduct", /租出去|麻将馆|挪用|贪|报复|找上门|投诉内容|供出去|泄露/g, 3],
  // 不得对业主进行骚扰、恐吓、打击报复或者采取暴力行为 (Henan art. 38).
  ["misconduct", /(物业|保安|经理|管家).{0,8}(打人|动手|打了|骂人|威胁|恐吓|骚扰)/g, 4],
  // Neighbour disputes and other matters outside the six actions.
  [
    "other",
    /楼上|楼下|对门|邻居|隔壁|一楼那(户|家)|那家|养了?条?狗|狼狗|拴绳|砸墙|电钻|睡不好|加装电梯|烧烤|油烟|噪音|扰民|吵|赔/g,
    2,
  ],
];

/** Saying who you are (我是业委会的) is not what the complaint is about. */
const SELF_INTRODUCTION = /我是业委会的?|我在业委会|我是业主委员会的?|我是业主代表/g;

export function scoreCategories(text: string): Map<Category, number> {
  const body = text.replace(SELF_INTRODUCTION, "");
  const scores = new Map<Category, number>();
  for (const [category, pattern, weight] of CUES) {
    const distinct = new Set([...body.matchAll(pattern)].map((m) => m[0])).size;
    if (distinct > 0)
      scores.set(category, (scores.get(category) ?? 0) + weight * Math.min(3, distinct));
  }
  return scores;
}

/** The best category for the whole complaint so far, or undefined when nothing points anywhere. */
export function classifyComplaint(text: string): Category | undefined {
  let best: Category | undefined;
  let bestScore = 0;
  for (const [category, score] of scoreCategories(text)) {
    if (score > bestScore) {
      best = category;
      bestScore = score;
    }
  }
  return best;
}

const EXPLICIT = /投诉|举报|反映|曝光|维权|告他们|帮我.{0,4}(投诉|反映|登记|处理)/;
const PROBLEM =
  /不管|不修|没人修|没人管|没人理|不理|不给|不让|不交|不走|不公开|不公示|拒不|一直不|从来不|跑了|跑路|撤了|停了|断了|拉了|关了|堵着|堵了|坏了|着火|冒烟|困|漏|乱收|多收|强卖|赖着|删了|天天|半个月|一个星期|好几天|[两三四五六七八九十几]天|[两三四五六七八九十几]个月|！！|!!|凭啥|凭什么|谁负责|快来人|快点|没有|一滴水|过期|不开|不换|不公布|私自|擅自|没动静|没下文|没回音|不回复|不处理|没反应|不作为|推诿|踢皮球|扯皮|脏|臭|狗屎|苍蝇|老鼠|蟑螂|积水|黑咕隆咚|没人(抽|修|管|清|理|问)|不归.{0,4}管|推给|一直没|不退|不给退|动手|打人|打了/g;
const QUESTION =
  /[？?]|吗|能不能|可不可以|是否|怎么|咋|如何|谁来|归谁|哪个部门|多少|几天|多久|有没有|算不算|合法|合理|行不行|对不对|有用吗|该不该/;

export interface ComplaintSignal {
  /** How strongly the message reads as a problem to be handled. */
  score: number;
  /** It asks something (and deserves an answer, not only an intake). */
  question: boolean;
  /** The resident asked to complain in so many words. */
  explicit: boolean;
}

/** How much a message reads as a complaint, and whether it also asks a question. */
export function complaintSignal(text: string): ComplaintSignal {
  const categories = [...scoreCategories(text).entries()];
  const cue = Math.max(0, ...categories.map(([, s]) => s));
  const problems = new Set([...text.matchAll(PROBLEM)].map((m) => m[0])).size;
  const explicit = EXPLICIT.test(text);
  // Naming the place (卫东区 东安花园) is what residents do when they report, not when they ask.
  const place = extractDistrict(text) !== undefined || extractCommunity(text)?.strong === true;
  return {
    score: cue + 2 * Math.min(problems, 3) + (explicit ? 6 : 0) + (place ? 3 : 0),
    question: QUESTION.test(text),
    explicit,
  };
}
