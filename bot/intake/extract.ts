import { englishSearchTerms, mostlyEnglish } from "../../knowledge/english-glossary.ts";
import type { District, Urgency } from "../complaint.ts";
import { extractPhone } from "../privacy.ts";
import type { NaiveBayes } from "./classifier.ts";
import { intakeModels } from "./classifier-model.ts";
import { findDistricts } from "./gazetteer.ts";

/**
 * Rule-based reading of one resident message (already in Simplified
 * characters) for the complaint fields. Each function returns only what the
 * text states; the intake decides what to keep.
 */

const CORRECTION =
  /不对|不是|打错|搞错|写错|说错|更正|纠正|应该是|改成|改为|\b(wrong|actually|correction|instead|should be|not)\b/i;

export function isCorrection(text: string): boolean {
  return CORRECTION.test(text);
}

/** 更正一下, 说错了: the words that announce a correction, before its content. */
const CORRECTION_LEAD =
  /^[\s，,。]*(?:更正一下|纠正一下|更正|纠正|说错了|写错了|打错了|搞错了|弄错了|不对)[\s，,。：:]*/u;

/** The district the message names; in a correction (不是湛河区，是卫东区) the one after 是. */
export function extractDistrict(text: string): District | undefined {
  const mentions = findDistricts(text);
  if (mentions.length === 0) return undefined;
  if (isCorrection(text) && mentions.length > 1) {
    // "不是X是Y" / "X打错了，是Y": the last named is the right one.
    return mentions.at(-1)?.district;
  }
  // Where someone works or passes through is not where the problem is.
  // Nor is where someone comes from (我老家鲁山的, 宝丰是我娘家).
  const home = mentions.filter(
    (m) =>
      !/^[^，。,]{0,4}(上班|工作|打工|上学)|^[^，。,]{0,2}是(我|俺)的?(老家|原籍|娘家)/.test(
        text.slice(m.index + m.alias.length),
      ) && !/(老家|原籍|娘家|户口)(在|是)?$/.test(text.slice(Math.max(0, m.index - 4), m.index)),
  );
  return home[0]?.district;
}

/**
 * Endings of 小区 names. Multi-character ones rarely end anything else; the
 * single characters (城 府 院 …) also end ordinary words (进城、政府、医院), so
 * a name ending in one needs a clear boundary after it.
 */
const STRONG_SUFFIX =
  "家属院|家属楼|家属区|宿舍院|宿舍楼|号院|花园|小区|名苑|新苑|佳苑|雅苑|花苑|苑|名居|雅居|新居|名郡|华府|华庭|公寓|公馆|新村|山庄|嘉园|家园|花城|名门|名城|新城|湾畔|湖畔|半岛|庄园|新区|宿舍|大院";
const WEAK_SUFFIX = "城|府|庭|湾|院|郡|邸|园";
const NAME_BOUNDARY =
  "(?=[^\\p{Script=Han}]|$|[0-9一二三四五六七八九十两几]+(?:号|栋|幢|单元|楼|期|区)|的|里|这|那|小区|物业|业主|业委会|现在|一直|天天|最近|已经|又|也|都|有|没|被|从|东门|西门|南门|北门|大门|门口|楼|电梯|地下|车库)";
/** 鹰城花园路 is a road, 阳光花园站 a stop. */
const NOT_AFTER_NAME =
  "(?!路|街|大道|大街|站|酒店|宾馆|小学|中学|学校|幼儿园|医院|商场|超市|市场|饭店)";
const STRONG_NAME = new RegExp(`(?:${STRONG_SUFFIX})${NOT_AFTER_NAME}`, "gu");
/** Ordinary words that end like a name. */
const COMMON_WORD =
  /(政府|医院|法院|学院|剧院|影院|庭院|法庭|家庭|公园|校园|菜园|果园|乐园|幼儿园|县城|商城|古城|省城|同城|长城|鹰城|海湾|港湾)$/;
const WEAK_NAME = new RegExp(`(?:${WEAK_SUFFIX})${NAME_BOUNDARY}`, "gu");

/**
 * Characters a 小区 name's stem never holds: function words, pronouns and the
 * verbs and nouns of a complaint. "车进不了小区" or "物业把小区" are sentences
 * that end in 小区, not names.
 */
const NOT_IN_NAME =
  /[把被进出了不没在是为有给让说到去要想得着过吗呢吧啊呀嘛哦我你他她它们这那哪个的也还就很又再才从往叫找打收停坏漏堵吵乱钱费俺咱恁啥咋谁么些修搬离走跑卖买租挪占拆贴扔倒喊看等问告或期号栋幢住]/;
/** Words that make a stem a description (我家小区, 隔壁小区) rather than a name. */
const GENERIC_STEM =
  /^(下周|上周|这周|本周|下个月|上个月|今天|明天|昨天|每天|今年|去年|明年|家|老|新|本|该|大|小|整|全|各|如果|要是|假如|万一|比如|例如|一般|普通|所有|每个|一个|有的|很多|这些|那些|附近|周边|周围|隔壁|对面|旁边|别的|其他|其它|同一|单位|职工|开放式?|老旧|高档|城中村|回迁|安置|商品房|物业|业主|社区|街道|县城|城里|市里|市区|幼儿|公|校|菜|果|动物|游乐|医|法|学|庭|后|前|东|西|南|北|中|里|外|上|下|以后|之后|以前|之前|现在|然后|今后|目前|后来|当时|平时|以往|将来|回头|到时候?|时候|那时)$/;
/** Two characters that act on a place (重建, 挖开, 进入): before 小区 they are no name. */
const ACTS_ON =
  /(重建|改建|扩建|新建|翻建|拆除|挖开|挖了|进入|进了|离开|出了|走出|回到|住进|搬进|搬出|管理|治理|整治|打扫|清理|巡查|封闭|封了|开放|改造|绿化|美化|亮化)$/;
/** Characters estate names are made of (阳光水岸, 锦绣华城, 碧水蓝天): a stem of only these is a name. */
const NAME_MORPHEMES =
  /^[阳光金银华锦绣翠碧水湾岸山湖河江海城苑园府庭景名门世纪新都花香丽嘉御龙凤鹰天润泽祥福康宁安和泰盛荣兴隆东南西北中星月春秋书雅君悦馨怡绿蓝紫红白色港澳林森竹松柏梅兰桂枫桃李雪云霞晨曦朝阳明德仁义美佳鑫鼎豪富贵帝王皇尚品上城郡湾汇]+$/u;
/** The city itself written before a name: 平顶山市钟楼小区. */
// 鹰城 alone begins many estates' own names (鹰城世家): only 鹰城市 is the city written out.
const CITY_PREFIX = /^(河南省?)?(平顶山市?|鹰城市)(?=[\p{Script=Han}]{2,})/u;

function cleanStem(before: string): string {
  // The longest run right before the suffix that holds no word of a sentence.
  let i = before.length;
  while (i > 0) {
    const ch = before[i - 1] ?? "";
    if (!/[\p{Script=Han}A-Za-z0-9]/u.test(ch) || NOT_IN_NAME.test(ch)) break;
    i--;
  }
  let stem = before.slice(i).slice(-8);
  // 小区院 / 社区花园: what comes after the generic word is the name, if anything.
  stem = stem.replace(/^.*(小区|社区)/u, "");
  stem = stem.replace(CITY_PREFIX, "");
  // A road or street written before the name is its address (建设路XX小区).
  stem = stem.replace(/^.*?(街道|办事处|镇|乡)(?=[\p{Script=Han}]{2,})/u, "");
  return stem;
}

/** Words of a complaint that no 小区 name holds. */
const NOT_IN_NAME_WORDS =
  /物业|业主|业委|投诉|社区|街道|电动车|停车|区县|情况|查阅|有权|权利|目前|日常|整个|全体|关于|对于|作为|其他|其它|以下|以上/u;

function nameFromMatch(plain: string, index: number, suffix: string): string | undefined {
  const stem = cleanStem(plain.slice(0, index));
  // 电动车都进小区: a stem the classifier reads as complaint words is part of a sentence.
  // Two characters (建材, 粮食, 电厂) are what works compounds are named after, not a sentence.
  // A works compound is named after its employer (县医院家属院, 老粮站家属院): words the
  // classifier knows from complaints about such compounds are still the name.
  const worksCompound =
    /^(家属院|家属楼|家属区|宿舍|宿舍院|宿舍楼|大院)$/u.test(suffix) && stem.length <= 6;
  // 阳光水岸, 金色港湾: made only of the words estates are named with, it is a name.
  const nameLike = NAME_MORPHEMES.test(stem);
  if (
    NOT_IN_NAME_WORDS.test(stem) ||
    (stem.length > 2 &&
      !worksCompound &&
      !nameLike &&
      intakeModels().category.predict(stem).evidence > 0)
  )
    return undefined;
  // 五一花园 is a name; 3小区 or 两小区 is a count.
  if (stem === "" || GENERIC_STEM.test(stem) || /^([0-9]+|[一二三四五六七八九十两几])$/.test(stem))
    return undefined;
  // 重建小区, 挖开小区: a verb before 小区 acts on the estate; it does not name one.
  if (suffix === "小区" && ACTS_ON.test(stem)) return undefined;
  // 小区 alone says nothing of the name: one character before it is a word of the sentence (占用小区).
  if (suffix === "小区" && stem.length < 2) return undefined;
  // 平顶山小区 speaks of the city's estates in general, not of one.
  if (suffix === "小区" && /^(河南省?|平顶山市?|全市|全省|咱市)$/u.test(stem)) return undefined;
  let name = stem + suffix;
  // 创业路火炬公寓: the road is an address; a works compound (家属院, 宿舍, 大院) named after its road
  // keeps it, and so does housing named for who lives there (矿工路干部公寓).
  const road = name.match(/^[\p{Script=Han}]{1,4}(路|大道|大街)/u)?.[0] ?? "";
  if (!/(家属(院|楼|区)|号院|宿舍|大院)$/.test(name) && !HOUSING_FOR.test(name.slice(road.length)))
    name = name.replace(/^[\p{Script=Han}]{1,4}(路|大道|大街)(?=[\p{Script=Han}]{3,})/u, "");
  if (name.length < 3 || COMMON_WORD.test(name)) return undefined;
  return name;
}

/** Text with districts and street/town names blanked, so they are not read as part of a 小区 name. */
function withoutPlaces(text: string): string {
  let out = text;
  for (const m of findDistricts(text)) {
    if (beginsAName(text, m)) continue;
    out = out.slice(0, m.index) + " ".repeat(m.alias.length) + out.slice(m.index + m.alias.length);
  }
  return out.replace(
    /[\p{Script=Han}]{1,6}(街道办事处|街道办|街道|办事处|镇|乡)(?=\s|[，,]|$)/gu,
    (m) => " ".repeat(m.length),
  );
}

/** Every 小区-like name in the text, in order, as the resident wrote it. */
const PHASE = /^([一二三四五六七八九十\d]+期|[东南西北中][区院苑]|[A-Da-d]区)/u;

export function findCommunityNames(text: string): { name: string; index: number }[] {
  const plain = withoutPlaces(text);
  const found: { name: string; index: number; end: number }[] = [];
  const endsStrong = new RegExp(`(?:${STRONG_SUFFIX})$`, "u");
  for (const pattern of [STRONG_NAME, WEAK_NAME]) {
    for (const m of plain.matchAll(pattern)) {
      const suffix = m[0];
      const name = nameFromMatch(plain, m.index, suffix);
      // 老家属院 was already judged as 老 + 家属院; 院 alone must not let it through.
      if (!name || (pattern === WEAK_NAME && endsStrong.test(name))) continue;
      const index = m.index + suffix.length - name.length;
      found.push({ name, index, end: m.index + suffix.length });
    }
  }
  // 鹰城花园 holds 鹰城 (城) too: keep the longest name at each end position, no overlaps.
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const out: { name: string; index: number; end: number }[] = [];
  for (const f of found) {
    const last = out.at(-1);
    if (last && f.index < last.end) {
      if (f.end > last.end && f.index === last.index) out[out.length - 1] = f;
      continue;
    }
    out.push(f);
  }
  // 钢城佳苑二期, 建业森林半岛北区: the phase or part written right after the name belongs to it.
  return out.map(({ name, index, end }) => {
    const part = plain.slice(end).match(PHASE)?.[0] ?? "";
    return { name: name + part, index };
  });
}

/** A form-like label of a field other than the estate (区县：, 电话：). */
const OTHER_FIELD_LABEL =
  /(所在)?(区县|县区|地区|区域|地址|位置|地点|联系方式|联系电话|电话|手机|姓名|称呼)[:：]/gu;

/** 建设路上的和园: the road the estate stands on, said before its name. */
const ROAD_OF_THE_NAME =
  /^\p{Script=Han}{1,6}((路|街|大道)(上|边|旁边|口)?|这边|那边|这块|那块|这片|那片|附近|跟前)的(?=\p{Script=Han}{2,})/u;

/** A whole message that places a name: 光明路上的紫荆园, 东关那边的梧桐里. */
const PLACED_NAME =
  /^[，,\s]*\p{Script=Han}{1,6}(?:(?:路|街|大道)(?:上|边)|这边|那边)的(\p{Script=Han}{2,8})$/u;
/** Placed the same way, a question or a public place (路口那边的超市关门没) is not an estate's name. */
const PLACED_NOT_A_NAME =
  /[几啥吗呢哪么怎咋谁]|市场|超市|医院|学校|公园|商场|银行|车站|饭店|[店馆摊车]$/u;

/** Anonymity asked for in the same breath as the name (a contact may carry a person's name: not that). */
const OTHER_ANSWER = /^(请|就|按)?(匿名|不留名|不用留名)(吧|就行|处理|就中)?$/u;

/** A place inside the estate (5号楼, 院子中间, 我住顶楼), said after the name in an answer. */
const WHERE_INSIDE =
  /楼|单元|层|门口|那块|这块|那边|这边|中间|旁边|附近|边上|滑梯|车库|地下室|院子|广场|花坛|我住|俺住/u;

/** What residents put around a bare answer to "哪个小区". */
const ANSWER_FILLER =
  /^(?:嗯+|哦+|好的?|就是|那个|我们|俺们|咱们|我家|俺家|我|俺|这边|这里|是|住在|住|在|那儿|这儿|那里|那边|叫做|名叫|叫|小区名?字?|(?:名称|名字|名)(?:为|是|叫))+|(?:小区|这边|那边|这里|那里|呢|啊|呀|吧|哈|的|了)+$/gu;

const ENGLISH_ESTATE =
  /\b(?:[A-Z][a-z]+ ){0,3}[A-Z][a-z]+ (?:Gardens?|Residences?|Estate|Community|Court|Village|Apartments|Mansions?|Park|Compound|Xiaoqu|Huayuan|Jiayuan|Xincun|Homes|Heights|City)\b/;

const ENGLISH_NAME = /^[A-Z][a-z]+( [A-Z][a-z]+){0,3}$/;
const ENGLISH_NOT_NAME =
  /^(Anonymous|Anonymously|Yes|No|Ok|Okay|Sure|Thanks|Thank|Confirm|Cancel|Help|Hello|Hi|Please|Sorry|Never|Stop|Submit)\b|\b(District|County|City|Qu|Xian)$/;

export interface CommunityMention {
  name: string;
  /** Read from a 小区-like name or given as the answer to "哪个小区"; never a guess. */
  strong: boolean;
  /** The county-level place written with it (汝州市钟楼小区), if any. */
  district?: District;
}

/**
 * The 小区 a message names. Outside an answer, only a name-like phrase (a
 * stem with no sentence words, ending in 花园/小区/苑/家属院 …) counts; when
 * the bot has just asked "哪个小区" (`answering`), a short reply is the name
 * itself once filler (我们是/在/小区叫) and the county prefix are removed.
 */
/** A part of an estate (那个车棚), not its name. */
const FACILITY = /车棚|车库|楼|门|电梯|广场|花坛|垃圾|院子|地下室|路|泵房|绿地/u;

export function extractCommunity(
  text: string,
  options: { answering?: boolean } = {},
): CommunityMention | undefined {
  if (/小区名?(就)?(不说|不讲|保密|不方便|不想说)|^(没有|没)(小区)?(名字?|名称)/.test(text))
    return undefined;
  const district = findDistricts(text)[0]?.district;
  const withDistrict = (raw: string): CommunityMention => {
    const name = tidyName(raw, text);
    return district ? { name, strong: true, district } : { name, strong: true };
  };
  // Jinjiang Garden: an estate named in English, or in pinyin with its English kind.
  // A name also written in Chinese is taken in Chinese.
  const english = /\p{Script=Han}{2,}/u.test(text) ? undefined : text.match(ENGLISH_ESTATE)?.[0];
  if (english) return withDistrict(english);
  // 就是矿工路上那个 松风苑: when asked, the name comes after 那个.
  const afterThat = options.answering
    ? text
        .split(/那个|那一个/)
        .at(-1)
        ?.trim()
    : undefined;
  // A name with its suffix already given comes first; only a reply with none looks after 那个.
  const hasName = findCommunityNames(text).length > 0;
  // 卫东区某某苑，5号楼东边那个车库: the name right after the district comes before any 那个.
  if (
    !hasName &&
    afterThat &&
    afterThat !== text.trim() &&
    afterThat.length >= 2 &&
    !(nameAfterDistrict(text) && FACILITY.test(afterThat))
  ) {
    const named = extractCommunity(afterThat, options);
    if (named) return { ...named, ...(district ? { district } : {}) };
  }
  // 不是鹰城家园，是鹰城花园: a name the resident denies is not the name.
  const kept = findCommunityNames(text).filter(
    (n) => !/(不是|不叫|并非|\bnot\s?)$/i.test(text.slice(Math.max(0, n.index - 4), n.index)),
  );
  const named = isCorrection(text) ? kept.at(-1) : kept[0];
  if (named) return withDistrict(named.name);
  // 石龙区龙兴嘉苑, 宝丰的 翠湖: a bare name written right after the district is the 小区.
  const afterDistrict = nameAfterDistrict(text);
  if (afterDistrict) return withDistrict(afterDistrict);
  // 小区叫锦绣江南: the resident names it outright.
  const given = text.match(
    /(?:小区|院子|家属院)(?:的?名字|名称?)?(?:叫|名叫|是|为|[:：])\s*([^，,。！!？?；;\s]{2,14})/u,
  )?.[1];
  // 光明路上的紫荆园, 东关那边的梧桐里, told whole: an estate placed by its road or its
  // neighbourhood is a name, whatever was asked.
  const placed = PLACED_NAME.exec(withoutPlaces(text).trim())?.[1];
  const onItsRoad = placed && !PLACED_NOT_A_NAME.test(placed) ? placed : undefined;
  const reply = given ?? (options.answering ? text : onItsRoad);
  if (reply === undefined) return undefined;
  // Answered in English: a name is capitalised (Jinjiang, Sunshine Garden); a word of a sentence is not.
  if (!/\p{Script=Han}/u.test(reply)) {
    const name = reply.trim().replace(/[.!。！]+$/u, "");
    return ENGLISH_NAME.test(name) &&
      !ENGLISH_NOT_NAME.test(name) &&
      findDistricts(name).length === 0
      ? { name, strong: true }
      : undefined;
  }
  // 区县：示范区 labels another field; the label is not a name.
  const segments = withoutPlaces(reply.replace(OTHER_FIELD_LABEL, "，"))
    .split(/[\s，,。！!？?；;：:、]+/)
    .map((s) => s.replace(ANSWER_FILLER, "").replace(CITY_PREFIX, "").replace(ROAD_OF_THE_NAME, ""))
    .filter((s) => s !== "");
  // 紫荆园，东边车棚跟前: where in the estate, said after its name, is not part of the name.
  // 紫荆园，匿名: the answer to another question, given with the name, is not part of it.
  const nameOnly = segments.filter(
    (seg, i) =>
      !OTHER_ANSWER.test(seg) && (i === 0 || !WHERE_INSIDE.test(seg) || PROPER_NAME.test(seg)),
  );
  if (nameOnly.length !== 1) return undefined;
  const name = nameOnly[0] ?? "";
  // A reply to 哪个小区 may hold any character a name has (香榭丽舍, 御景壹号); only sentence words rule it out.
  if (name.length < 2 || name.length > 12 || VERBISH.test(name) || SENTENCE_CHAR.test(name))
    return undefined;
  // 光明路, 东关街: an address, not the name.
  if (/(路|街|大道|巷|镇|乡|街道|社区)$/u.test(withoutNear(name))) return undefined;
  // 老家属院, 我们院: a kind of place, not its name.
  const stem = name.replace(new RegExp(`(${STRONG_SUFFIX}|${WEAK_SUFFIX})$`, "u"), "");
  // 西苑 given as the answer is a name; 西院 or 老院 is a part or a kind of place.
  const directionName = /^[东南西北中](苑|园|庄)$/u.test(name);
  if (stem === "" || (GENERIC_STEM.test(stem) && !directionName) || GENERIC_STEM.test(name))
    return undefined;
  // What the estate is like (an old block from some decade) describes it; it does not name it.
  if (/的|年代|老楼|老房|商品房|安置房|回迁|拆迁/u.test(name)) return undefined;
  // A reply that talks about the problem (邻居, 两天没水) is not a name. Past three characters the
  // classifier's topic words are as often a name's (金色阳光, 电力新村): only trouble words count.
  const problemTalk =
    name.length <= 3
      ? intakeModels().category.predict(name).evidence > 0
      : TROUBLE_NOUNS.test(name);
  if (problemTalk) return undefined;
  return withDistrict(name);
}

/**
 * What a name carries that is not the name: the county town before it
 * (叶县城 + 松风苑 read as 城松风苑), a stretch of road (南段), or the road
 * before a name of its own (建设路 + 松风家园). A works compound keeps its
 * road: residents know 矿山路家属院 by it.
 */
function tidyName(name: string, text: string): string {
  let out = name.startsWith("城") && text.includes(`县${name}`) ? name.slice(1) : name;
  out = out.replace(ROAD_STRETCH, "");
  const road = out.match(ROAD_BEFORE_NAME)?.[0];
  if (
    road &&
    !HOUSING_FOR.test(out.slice(road.length)) &&
    PROPER_NAME.test(out) &&
    out.length - road.length >= 3
  )
    out = out.slice(road.length);
  return out;
}
const ROAD_STRETCH = /^[东西南北中]段(?=\p{Script=Han}{2,})/u;
const HOUSING_FOR = /^(教师|职工|干部|老干部|工人|教工|医护|军人)(公寓|新村|楼|小区|住宅)$/u;
const ROAD_BEFORE_NAME =
  /^\p{Script=Han}{1,4}?(?:路|街|大道)(?:[东西南北中]段)?(?=\p{Script=Han}{2,})/u;
const PROPER_NAME =
  /(家园|花园|园|苑|城|湾|府|公寓|大厦|广场|新村|名都|华庭|雅居|名居|山庄|庄园|天地|公馆|小区)$/u;

/** 矿工路跟前 is near a road: the road is what is named. */
function withoutNear(name: string): string {
  return name.replace(/(跟前|附近|旁边|边上|这边|那边|对面|后头|后面|前面|一带|那片|这片)$/u, "");
}

/** The name-like words that follow a district and end their clause, if any. */
function nameAfterDistrict(text: string): string | undefined {
  for (const m of findDistricts(text)) {
    const rest = text.slice(m.index + m.alias.length);
    const clause = rest.match(
      // The bare name ends where the estate's own bodies (业委会, 物业) are named.
      /^的?\s*([^\s，,。！!？?；;：:、]{2,10}?)(?=$|[\s，,。！!？?；;]|业委会|业主委员会|业主大会|物业(?!费))/u,
    )?.[1];
    if (!clause) continue;
    const name = clause.replace(ANSWER_FILLER, "");
    // 卫东区的铺子转让了: a clause that ends in 了 tells what happened, it names nothing.
    if (/了$/u.test(clause)) continue;
    if (
      name.length < 2 ||
      !/\p{Script=Han}/u.test(name) ||
      VERBISH.test(name) ||
      SENTENCE_CHAR.test(name)
    )
      continue;
    // A clause that goes somewhere (去, 回) or asks which (哪) is not a name.
    if (/^(走|去|来|到|回|看|吃|玩|买|卖|搬|逛)|哪/u.test(name)) continue;
    // A bare name is a short one (翠湖湾); a longer clause (去火车站的公交有几路) tells something.
    if (name.length > BARE_NAME_MAX || /[的到有几]/u.test(name)) continue;
    // 光明路, 东关街, 某某街道: an address, not the name.
    if (/(路|街|大道|巷|镇|乡|街道|社区|村|(?<!生活|住宅|家属)区|县|市)$/u.test(withoutNear(name)))
      continue;
    if (GENERIC_STEM.test(name) || intakeModels().category.predict(name).evidence > 0) continue;
    return name;
  }
  return undefined;
}

/** The longest name taken without a 小区-like suffix after a district. */
const BARE_NAME_MAX = 6;

/** Characters no 小区 name holds: particles, pronouns, negation. */
const DURATION = /[一二两三四五六七八九十几半多\d]+个?(年|月|天|周|星期|礼拜|小时)/u;
const SENTENCE_CHAR = /[吗呢吧啊呀嘛哦了把被不没谁啥咋么你他她它俺咱恁]/;

/** What a complaint is about, never what an estate is called. */
const TROUBLE_NOUNS =
  /垃圾|污水|粪|漏水|噪音|噪声|停车费|物业费|电梯|消防|保安|保洁|路灯|监控|门禁|化粪池|下水道|积水|违建|违章|装修|维修|暖气|停水|停电/;

/** Words that make a reply a sentence rather than a name. */
const VERBISH =
  /那个|这个|哪个|就|物业|业委会|业主|投诉|反映|报修|没人|不|是|确认|确定|提交|取消|可以|没错|对的|好的|算了|行吧|没问题|帮助|进度|说|想|要|能|会|让|找|打|收|交|停|坏|漏|堵|吵|乱|怎么|咋|吗|呢|了|过|着|我|你|他|她|谢谢|匿名|电话|手机|名字|姓|上班|工作|楼道|那几|这几|知道|忘|记不|钱|把|被|得|房子|租|那套|这套/;

/** 3号楼2单元, 地下车库, 楼道 … where inside the community. */
export function extractLocation(text: string): string | undefined {
  const building = text.match(
    /[0-9一二三四五六七八九十]+(?:号楼|栋|幢|号院)(?:[0-9一二三四五六七八九十]+单元)?(?:[0-9一二三四五六七八九十]+(?:楼|层))?/,
  );
  if (building) return building[0];
  const unit = text.match(/[0-9一二三四五六七八九十]+单元(?:[0-9一二三四五六七八九十]+(?:楼|层))?/);
  if (unit) return unit[0];
  const place = text.match(
    /地下车库|地下室|楼道|楼梯间|电梯|大门口?|配电房|水泵房|消防通道|楼顶|天台|绿化带|停车场/,
  );
  return place?.[0];
}

const COMPANY_SUFFIX = /物业(?:服务|管理)?(?:有限责任|有限)?公司|物业服务中心|物业/gu;

/** A stem that is the district and 小区 the message names, or one of them. */
function ownEstate(stem: string, text: string): boolean {
  const places = [
    ...findDistricts(text).map((m) => m.alias),
    ...findCommunityNames(text).map((n) => n.name),
  ];
  const rest = places.reduce((t, p) => t.split(p).join(""), stem);
  return rest.length < stem.length && rest.replace(/的/g, "").length < 2;
}

/** Everything up to the last word of the sentence before a company's name (是, 叫, 的 …). */
const BEFORE_NAME = /^.*[是叫的为由换把被给让跟找说了在]/u;
/** The same, with 和 read as "and": 开发商和物业. */
const BEFORE_NAME_OR_AND = /^.*[是叫的为由换把被给让跟和找说了在]/u;
/** A 和 after a character that ends no noun phrase is the end of a name (嘉和, 祥和). */
const NAME_ENDS_IN_HE = /[^商会业司主区方局府委们人家]和$/u;

/** The property company the message names (建业物业, 某某物业有限公司), with no words of the sentence in it. */
export function extractCompany(text: string): string | undefined {
  for (const m of text.matchAll(COMPANY_SUFFIX)) {
    let i = m.index;
    while (i > 0 && /[\p{Script=Han}A-Za-z]/u.test(text[i - 1] ?? "")) i--;
    const raw = text.slice(i, m.index);
    // 嘉和物业, 祥和物业: a 和 that ends the name is part of it, not "and".
    const stem = raw
      .replace(NAME_ENDS_IN_HE.test(raw) ? BEFORE_NAME : BEFORE_NAME_OR_AND, "")
      .replace(
        /^(另外|还有|而且|然后|其实|就是|还是|但是|可是|原来|现在|以前|之前|新来|新|老|这个|那个|这家|那家|我们|俺们|咱们|小区|该)+/u,
        "",
      );
    if (stem.length < 2 || stem.length > 12 || GENERIC_STEM.test(stem)) continue;
    // 不交物业费, 没有物业: a stem with a verb or negation is part of the sentence, not a name.
    if (SENTENCE_CHAR.test(stem) || /[交收修管找问报欠催诉映想要]/u.test(stem)) continue;
    // The estate's own name before 物业 (某区某苑物业乱收费) says whose management, not which company.
    if (ownEstate(stem, text)) continue;
    // How long something has gone on (三个月, 半年) is not a company's name.
    if (DURATION.test(stem)) continue;
    // 不是万家物业，是建业物业: the company the resident denies is not the one.
    if (
      /(不是|不叫)$/.test(text.slice(Math.max(0, m.index - stem.length - 2), m.index - stem.length))
    )
      continue;
    return stem + m[0];
  }
  return undefined;
}

export function extractOccurredAt(text: string): string | undefined {
  const m = text.match(
    /\d{4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}月\d{1,2}[日号]|(?:上|这)(?:个)?(?:礼拜|星期|周)[一二三四五六日天]?|(?:前|昨|今)天(?:晚上|早上|下午|上午)?|昨晚|今早|上个月|这个月|去年|今年|前几天|最近|半夜|[一两三四五六七八九十几\d]+(?:天|个月|年|个星期|周)了/,
  );
  return m?.[0];
}

/** Asking not to be named: 匿名, 保密, 名字别登, 不想让人认出我, 身份别公开. */
const ANONYMOUS = new RegExp(
  [
    "匿名|保密|不留名",
    "(?:不|别|不要|不想|不愿|不用|勿)(?:留|写|登记?|记|提|报)(?:[我俺]的?)?(?:名|名字|姓名|真名)",
    "(?<![区院楼司位街路地盘号村])(?:名字|姓名)就?(?:别|不要|不用)(?:写|登|留)",
    "(?:别|不要|不想|不愿|不能|勿)(?:透露|暴露|公开)",
    "(?:别|不要|不想|不愿意?)让?(?:人|别人|他们|物业|邻居|对方)?(?:知道|晓得)是我",
    "(?:别|不要)(?:把我)?供出",
    "(?:别|不要|不想|不愿意?|不能不?)让?[^，,。！!？?]{0,6}(?:知道|晓得)(?:是)?(?:我|俺)",
    // The estate's or the company's name left out (小区名不用写) is not the resident's.
    "(?<![区院楼司位街路地盘号村])(?:名字|姓名|名)(?:就|先|可)?(?:别|不要|不用|甭|不)(?:往上)?(?:写|登|留|报|提)",
    "(?:别|不要)(?:写|登|说|提)(?:是)?[我俺]",
    "(?:不|别|不要|不想|不愿意?|不能|不用)(?:露|报|说|写|登|提|暴露|透露|公开|显示|留)(?:出)?(?:我的?)?(?:名|名字|姓名|真名|身份|信息|脸|面)",
    // 投票也不实名 tells how something else was done.
    "(?<![也都又还])(?:不|别|不要|不想|不愿意?)(?:署名|具名|实名)(?!制|投票|认证|登记|的)",
    "(?:别|不要|不想|不愿意?)(?:让|叫)?(?:人|别人|他们|物业|邻居|对方)?(?:知道|晓得|认出|发现)(?:是)?(?:我|俺)",
    "(?:替|给|帮)(?:我|俺)保密|(?:隐去|隐藏|去掉|删掉)(?:我的?)?(?:名字|姓名|身份|信息)|(?:我|俺)(?:不想|不愿意?)(?:出面|露面)",
    "\\banonymous(?:ly)?\\b|(?:don'?t|do not|rather not) (?:use|give|put|share|leave|mention) my (?:name|details)|keep my name out",
  ].join("|"),
  "iu",
);
const NOT_ANONYMOUS =
  /不用匿名|不匿名|不需要匿名|不要匿名|别匿名|(?<!不|别|不想|不愿|不用)实名|不怕|可以留名|(?<!别|不|不要|不用|甭|不想)留我(的)?(名字|电话)|(?<!别|不|不要|不用|甭|不想)写我(的)?名字/;

/** true: asked not to be named; false: said they are fine being named; undefined: said nothing. */
export function extractAnonymity(text: string): boolean | undefined {
  if (NOT_ANONYMOUS.test(text)) return false;
  if (ANONYMOUS.test(text)) return true;
  return undefined;
}

export function extractContact(
  text: string,
): { name: string | null; phone: string | null } | undefined {
  const phone = extractPhone(text) ?? null;
  const name =
    text.match(/我叫([\p{Script=Han}]{2,3}?)(?=[，,。\s\d]|$|电话|手机)/u)?.[1] ??
    text.match(
      /([\p{Script=Han}]{1,2}(?:先生|女士|阿姨|大爷|老师|师傅))(?=[，,。\s\d]|$|电话|手机)/u,
    )?.[1] ??
    text.match(/(?:我|免贵)?姓([\p{Script=Han}])(?=[，,。\s\d]|$|某|电话|手机)/u)?.[1] ??
    null;
  if (!phone && !name) return undefined;
  return { name, phone };
}

/**
 * Live danger to life (CONTRACTS §4 emergency), by a few general rules: a
 * person shut in (a lift, a room), fire or smoke, a gas leak, live wires.
 * Everything else about urgency is the classifier's.
 */
const PERSON =
  "人|我妈|我爸|俺妈|俺爸|俺娘|俺爹|我娘|妈妈|爸爸|老人|孩子|小孩|男孩|女孩|小朋友|娃|儿子|闺女|女儿|老婆|媳妇|丈夫|老公|爷爷|奶奶|姥姥|姥爷|外婆|外公|孕妇|老太太|老头|我们|俺们|咱们|我|俺|他|她";
/** Within one clause: danger words and their subject are not split by punctuation. */
const C = "[^，,。！!？?；;\\n]";
const DANGER: RegExp[] = [
  // Shut in: 被困, 困在电梯, 电梯卡住了…我妈还在里面, 我被关在电梯里.
  new RegExp(`被困|困(?:在|住)(?:了)?${C}{0,3}(?:电梯|梯|轿厢)|电梯${C}{0,12}困|困人`, "u"),
  new RegExp(
    `(?:电梯|梯|轿厢)${C}{0,16}(?:卡|停|关|掉|坠|坏|打不开|不动).{0,24}(?:(?:${PERSON}).{0,4}(?:在里面|在里头|在里边|在里|出不来)|(?:里面|里头|里边).{0,3}(?:有|还有|关着|困着|是)?.{0,2}(?:${PERSON})|(?:里面|里头|里边)(?:还)?有人)`,
    "u",
  ),
  new RegExp(
    `(?:${PERSON})儿?(?:被)?(?:关|锁|卡|困)(?:(?:在|住了?)${C}{0,4}(?:电梯|轿厢)|(?:电梯|轿厢)(?:里|里面|里头|里边))`,
    "u",
  ),
  new RegExp(
    `(?:电梯|轿厢)(?:里|里面|里头)?${C}{0,4}(?:关|困|卡)(?:了|着)(?:${PERSON}|[0-9一二三两几]+个)`,
    "u",
  ),
  new RegExp(
    `(?:电梯|轿厢)(?:里|里面|里头)?${C}{0,3}(?:有)?(?:${PERSON})(?:被)?(?:困|关|卡)(?:住|着|了)?(?![^，,。！!？?]{0,3}(?:过|的时候))`,
    "u",
  ),
  new RegExp(`被电梯门?夹(?:住|着)|电梯门?夹(?:住|着)了?(?:${PERSON})`, "u"),
  // Someone under a collapse, hurt and bleeding, fallen into a shaft, collapsed, or about to fall.
  new RegExp(
    `(?:塌|倒|砸)[^。！!？?\\n]{0,10}(?:压着|压住|埋着|埋住|压了|埋了)${C}{0,3}(?:${PERSON})|(?:${PERSON})${C}{0,3}被(?:压|埋)(?:在|住|着)`,
    "u",
  ),
  /流了?(?:好多|很多|一地|一身)?血|淌血|冒血|血直流|(?:头|脸|脑袋)(?:都|也)?(?:破了|开了口子|开瓢)|(?:血流|出血)不止|头破血流|满头是血|(?:全|都)是血|一(?:头|脸|身)(?:的)?血|咬(?:伤|出血)|昏迷|不省人事|晕倒|昏倒|休克|没(?:了)?(?:呼吸|意识)|中毒|抽搐/u,
  // Can't breathe, turning blue; someone armed and going after people.
  /喘不上(?:来)?气|喘不过(?:来)?气|呼吸困难|(?:嘴唇|脸)(?:都)?(?:发紫|青紫)|憋得(?:脸)?发紫/u,
  /(?:拿|持|举|提|抡)着?(?:菜刀|刀|砍刀|匕首|棍子|铁棍|橡胶棍|警棍|棒子|铁锹|砖头)[^。！!？?\n]{0,16}(?:追|砍|捅|打|乱转|乱挥|行凶|冲)|(?:打起来|打成一团|动手了)[^。！!？?\n]{0,12}(?:菜刀|刀|棍|棒|铁锹|砖头)|(?:菜刀|刀|棍|棒|铁锹|砖头)[^。！!？?\n]{0,12}(?:打起来|打成一团|动手了)|行凶|砍人|捅人/u,
  new RegExp(
    `(?:${PERSON})${C}{0,4}(?:掉|摔|跌|坠)(?:进|到|下|入)${C}{0,6}(?:井|电梯井|坑|地下室|管道)`,
    "u",
  ),
  new RegExp(
    `(?:${PERSON})${C}{0,6}(?:挂在|吊在|悬在|站在|站到|坐在|趴在|蹲在|骑在|爬到|爬上了?|爬出|翻到|翻上了?|翻出)${C}{0,8}(?:窗外|窗台外|防盗网外|阳台外|栏杆外|护栏外|楼顶边|外面|窗台上|窗沿上|护栏上|栏杆上|空调外机|外机上|空调架|雨棚上)`,
    "u",
  ),
  new RegExp(`(?:${PERSON})${C}{0,12}(?:眼看|马上|快|就)(?:就|要)?(?:掉|摔|坠)下(?:去|来)`, "u"),
  new RegExp(
    `(?:楼顶|天台|屋顶|窗台|阳台)${C}{0,4}(?:边上|边沿|沿上|边)${C}{0,2}(?:坐着|站着|蹲着|趴着)(?:个|一个)?(?:${PERSON})`,
    "u",
  ),
  /(?:要|想|准备|闹着)跳楼|跳楼了|坠楼/u,
  // Someone who has just fallen from a height: an ambulance before anything else.
  new RegExp(
    `(?:${PERSON})${C}{0,4}从${C}{0,8}(?:楼上|楼顶|天台|窗户|窗台|阳台|楼梯|高处|脚手架|架子)${C}{0,4}(?:掉|摔|跌|坠)(?:了)?下(?:来|去)`,
    "u",
  ),
  new RegExp(
    `电梯${C}{0,8}门${C}{0,8}(?:开|打开)[^。！!？?]{0,12}(?:没(?:有)?轿厢|黑洞洞|井道)|(?:悬着|吊着|耷拉着|摇摇欲坠|快掉)[^。！!？?]{0,16}(?:下面|底下|楼下)[^。！!？?]{0,8}(?:人来人往|有人|过人|走人)`,
    "u",
  ),
  new RegExp(`(?:电梯|轿厢|关|困|卡|锁)${C}{0,10}(?:还|都|一直)?(?:出不来|下不来|打不开门)`, "u"),
  // A child caught in a window guard, someone lying on the floor who does not move.
  new RegExp(
    `(?:孩子|小孩|娃|老人|儿子|闺女|女儿|老太太|老头|婆婆|公公|有人|人)${C}{0,3}(?:被)?(?:卡|夹|困)(?:在|住)${C}{0,6}(?:窗|防盗|栏杆|护栏|电梯|门缝|缝里|井|管道|轿厢|电动门|伸缩门|道闸|车库门|卷帘门)|(?:倒|躺)(?:在|地|着)${C}{0,8}(?:不动|起不来|没反应|叫不醒)|(?:人|老人|孩子|小孩|老太太|老头|大爷|大妈|他|她)${C}{0,4}(?:叫不醒|没(?:了)?反应了)|(?:叫|喊)(?:也|都)?(?:叫|喊)不醒|电梯${C}{0,12}(?:卡|停)(?:在)?${C}{0,3}[\\d一二三四五六七八九十]+楼?(?:和|跟|与|到)[\\d一二三四五六七八九十]+楼?(?:中间|之间)`,
    "u",
  ),
  // 有人关里头了 / 人困在电梯里: someone shut in, now.
  new RegExp(
    `(?:${PERSON}|婆婆|公公|老伴儿?|家人|邻居)(?:被(?:关|困|卡|锁)(?:在)?(?:电梯|轿厢)?|(?:关|困|锁)(?:在)?(?:电梯|轿厢)?|卡(?:在(?:电梯|轿厢)?|电梯|轿厢))(?:里头|里面|里边|里)|(?:按|摁)(?:了)?(?:警铃|警报|呼叫|紧急按钮)${C}{0,6}(?:没人|没有人)(?:应|理|管|接)`,
    "u",
  ),
  // A lift stopped between floors, or one someone is riding whose doors will not open, holds people.
  new RegExp(
    `(?:电梯|轿厢)${C}{0,12}(?:停|卡|悬|吊)(?:在|到)?了?${C}{0,3}(?:半截|半道|半空|半中间|两层|两个楼层|楼层中间|不上不下)|(?:坐|乘|搭)(?:着)?电梯${C}{0,20}(?:门)?(?:打不开|开不开|出不来)`,
    "u",
  ),
  // Shut in a lift (困电梯里了), fallen and unable to rise, a live line on a car, people in a flooding basement.
  new RegExp(
    `^(?:被)?(?:困|关|卡)(?:在)?电梯(?:里|里面|里头)|摔倒${C}{0,4}(?:起不来|爬不起来|不能动|动不了)|电线杆${C}{0,2}倒了|(?:电线|高压线|电缆)${C}{0,4}(?:搭|压|落|掉)(?:在|到)${C}{0,4}(?:车|人|身上|铁|栏杆|水)|(?:车库|地下室|电梯)${C}{0,4}(?:进水|淹|灌水)${C}{0,12}(?:有人|人在|困)`,
    "u",
  ),
  // A child who locked themselves in, someone living alone who does not answer the door.
  new RegExp(
    `(?:${PERSON})${C}{0,4}(?:把自己)?反锁(?:在)?${C}{0,4}(?:屋|家|房间|卧室|卫生间|厕所|车)(?:里头|里面|里边|里)|(?:独居|一个人住)${C}{0,24}(?:敲门|叫门|喊门|打电话)${C}{0,6}(?:没人应|没人开|没反应|不应|不开|没人接)|屋里${C}{0,8}(?:哼哼|呻吟|喊救命|呼救)`,
    "u",
  ),
  // Fire and smoke.
  /着火|起火|失火|(?:很|好|特别|非常|老)浓的烟|烧焦的?(味|味道)|焦糊味|(?:有|冒|全是|好多|一股)(?:黑|白|浓)?烟(?![头味囱道花酒草民])|(?:变压器|电箱|电表箱|配电箱|配电房|配电柜|电线|电缆|电动车|电瓶车|电瓶|车|房子|屋子?|厨房|楼道|垃圾(?:桶|堆)?|油锅|窗帘|被子)(?:都|也)?着了|(?:点|引)着了|火灾(?!隐患)|烧起来|着起来|烧着了|火苗|明火|火(?:很|好|挺|太)大|冒烟|冒(?:白|黑|青|浓)烟|黑烟|浓烟|烟(?:很|好|挺|太)大|(?:都|全)是烟|自燃/u,
  // Gas.
  new RegExp(
    `(?:煤气|燃气|天然气|液化气)${C}{0,10}(?:味|泄漏|泄露|漏|冒气|嘶嘶|呲)|(?:煤气|燃气|天然气|液化气).{0,12}(?:呲呲|嘶嘶|往外冒气)|闻到${C}{0,6}(?:煤气|燃气|天然气|液化气)|臭鸡蛋味`,
    "u",
  ),
  // Water rising where someone still is (车库进水…家人还在下面没出来).
  new RegExp(
    `(?:进水|淹|积水)[^。！!？?]{0,20}(?:车里|车上|屋里|里面|下面|底下)(?:还)?有人|(?:进水|淹|积水|水${C}{0,6}(?:涨|到膝盖|到腰|没过|漫))[^。！!？?]{0,30}(?:有人|人还|爸|妈|老人|孩子|小孩|爷爷|奶奶|老伴|家人)${C}{0,10}(?:还在|没上来|没出来|出不来|困)`,
    "u",
  ),
  // Water reaching switchgear: anyone who steps in may be electrocuted, and it can catch fire.
  new RegExp(
    `(?:水|积水)${C}{0,12}(?:淹|泡|灌|进|浇|喷|冲|漫)${C}{0,8}(?:配电|电箱|电柜|变压器|电表箱|开关柜)|往(?:配电|电箱|电柜|变压器|电表箱|开关柜)${C}{0,6}(?:浇|喷|灌|流|淌|冲)|(?:配电房|配电柜|配电箱|电箱|电柜|开关柜|变压器|电表箱)${C}{0,10}(?:进水|泡着|泡了|泡在水|淹了|被淹|淹着)`,
    "u",
  ),
  // Electricity.
  new RegExp(
    `触电|被电(?:到|着|击|倒)|电(?:到|倒)了?(?:人|狗|孩子|小孩)|(?:电线|电缆|电箱|电表箱|配电箱|配电房|变压器|变电箱|插座|电闸|电线杆)${C}{0,8}?(?:冒火|打火|火花|火星|着火|起火|冒烟|烧)|冒火花|打火花|火花四溅|冒火星|火星子|(?:电线|电缆)${C}{0,6}(?:掉|断|落|垂|耷拉|搭|拖|泡)[^。！!？?\\n]{0,24}(?:积水|水里|水坑|水中|冒火|火星|打火|带着?电)|(?:积水|水里|水中)${C}{0,6}(?:泡着|躺着|有)${C}{0,4}(?:电线|电缆|插线板|插排)|(?:漫|流|淌|泡|渗|灌)(?:到|进|着)${C}{0,4}(?:插座|插排|插线板|电箱|电表箱|配电箱)[^。！!？?\\n]{0,12}(?:通着?电|带着?电|有电|冒火|打火|漏电)|(?:高压线|电线)${C}{0,8}(?:断|掉|落|垂).{0,16}(?:带着?电|冒火|打火)`,
    "u",
  ),
];

/**
 * A danger told as past, habitual, hypothetical, elsewhere or negated (上次着火,
 * 万一着火, 经常冒火花, 打不着火, 一着火谁也跑不了, 别的小区着火) is a hazard
 * to report, not a live emergency.
 */
const NOT_LIVE_WORDS =
  "上回|上次|去年|前年|以前|之前|那次|有一次|有回|前几天|前些天|前天|昨天|昨晚|上周|上个月|上礼拜|上星期|万一|如果|要是|假如|一旦|哪天|怕|担心|害怕|会不会|容易|早晚|迟早|隔壁小区|别的小区|新闻|听说|经常|老是|总是|(?<!一)动不动|时不时|以后|将来|防止|预防|真(?:的)?|每个月|每月|每年|每周|每回|每次|一个月|一年";
const NOT_LIVE_BEFORE = new RegExp(`(${NOT_LIVE_WORDS})${C}*$`, "u");
const NOT_LIVE_INSIDE = new RegExp(NOT_LIVE_WORDS, "u");
const NOT_LIVE_AFTER = new RegExp(
  `^${C}{0,3}[一二两三四五六七八九十几\\d]+(?:回|次|趟)|^(?:过|了?${C}{0,3}(?:都|就|也|连|还)(?:跑|出|逃|进|没|下)|${C}{0,12}(?:的时候|后来))|^[^。！!？?\\n]{0,20}(?:已经(?:灭|扑灭|出来|救出|修好|没事)|救出来了|被救出|灭了|没事了|修好了)`,
  "u",
);
const NEGATED = /(不|没|没有|无|未|并非|不是)$/u;
/** Smoke with an everyday source (抽烟, 油烟, 烧纸) is a nuisance or a hazard, not a fire. */
const SMOKE_SOURCE =
  /抽烟|吸烟|烟头|烧纸|烧烤|烤串|烤肉|撸串|烤炉|炭火|油烟|烟囱|炒菜|做饭|排烟|烟道|烟味/u;

/**
 * The same dangers told in English. Fire words that name equipment or a
 * service (fire lane, fire brigade) are not a fire.
 */
const ENGLISH_DANGER =
  /\b(?:on fire|fire(?! (?:the|them|our|their|this|that|him|her|my|a|an)\b)(?![- ]?(?:lanes?|exits?|escapes?|doors?|extinguishers?|hydrants?|safety|alarms?|drills?|codes?|regulations?|brigade|fighters?|department|engines?|trucks?|services?|station|hazards?|risks?))|smoke(?![- ]?(?:detectors?|alarms?))|flames?|burning|gas (?:leak|smell)|smell(?:s|ing)? (?:of )?gas|trapped|stuck in (?:the |a )?(?:lift|elevator)|sparks?|sparking|live wires?|electrocuted|unconscious|fainted|bleeding)\b/i;
/** The resident says it can wait. */
const NOT_URGENT =
  /不(太)?着急|不(太)?急(?!着|诊|救)|不用急|不赶时间|慢慢(来|弄|修)|有空(的时候)?再|no rush|not urgent/i;

/** A stopped lift with someone still inside, told in English. */
const ENGLISH_LIFT_OCCUPIED =
  /\b(?:lift|elevator)\b[^.!?]{0,80}\b(?:(?:stuck|stopped|hanging) between floors|(?:someone|somebody|people|child|kid|boy|girl|baby|man|woman|mum|mom|mother|dad|father|grandma|grandpa|son|daughter)\b[^.!?]{0,20}\b(?:in there|inside|still in))/i;
/** English told as past, possible or elsewhere. */
const ENGLISH_NOT_LIVE =
  /\b(?:if|in case|whether|would|could|might|last (?:year|month|week|time)|used to|ago|what happens|is there any rule|rules?|regulations?|allowed|risk|hazard)\b/i;

/** The words of the first danger told as happening now, if any. */
export function liveDanger(text: string): string | undefined {
  const english = text.match(ENGLISH_DANGER) ?? text.match(ENGLISH_LIFT_OCCUPIED);
  if (english && !ENGLISH_NOT_LIVE.test(text)) return english[0];
  for (const rule of DANGER) {
    for (const m of text.matchAll(new RegExp(rule.source, "gu"))) {
      const before = text.slice(Math.max(0, m.index - 30), m.index);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 30);
      const told =
        NOT_LIVE_BEFORE.test(before) ||
        NOT_LIVE_INSIDE.test(m[0]) ||
        NEGATED.test(before) ||
        NOT_LIVE_AFTER.test(after) ||
        (m[0].includes("烟") && SMOKE_SOURCE.test(text));
      if (!told) return m[0];
    }
  }
  return undefined;
}

/**
 * Water, power or the lift out: high urgency by definition (CONTRACTS §4
 * names water and power cuts; a lift out strands the people upstairs).
 */
const OUTAGE = new RegExp(
  `停水|断水|停电|断电|没水了|没电了|没水用|没电用|(?:楼|家|户|单元|小区|院)${C}{0,4}没(?:有)?(?:水|电)(?![费钱])|(?:电卡|水卡|电表|水表|水阀|电闸)${C}{0,4}(?:锁|停|关|封|拉)|水${C}{0,3}(?:停|断|掐|关)了|电${C}{0,3}(?:停|断|掐|拉)了|拉了?电闸|拉了?闸|电梯${C}{0,4}(?:坏|停运|停了|故障|不能用|用不了|不动了)|(?:家|屋|楼|小区|单元)里?${C}{0,2}(?:已经)?黑(?:了|灯瞎火)|(?:整个|全)(?:楼|单元|小区|院)${C}{0,3}(?:都)?跳闸|(?:全|都|全都|全部)没(?:有)?(?:水|电)(?![费钱梯动瓶脑视话])|(?:线路|电路|总闸)${C}{0,2}跳闸|(?:不让|不给)(?:充|买|交)(?:电|水)费?|停暖|断暖|没(?:有)?暖气`,
  "u",
);

/** Water, power or the lift out, told in English. */
const ENGLISH_OUTAGE =
  /\bno (running |tap )?(water|power|electricity)\b|\b(water|power|electricity)\b[^.?!]{0,20}\b(cut|off|out)\b|\b(lift|elevator)s?\b[^.?!]{0,60}\b(broken|out of (order|service)|not working|stopped|down)\b/i;

/** High when the classifier gives high or emergency at least this probability together. */
const MODEL_HIGH = 0.95;

/**
 * How urgent the situation described is (CONTRACTS §4). Only the danger rules
 * call an emergency (the classifier is too sure of itself on short texts to
 * tell someone to ring 119); the classifier tells a hazard from the ordinary.
 */
export function assessUrgency(text: string, model = intakeModels().urgency): Urgency {
  if (liveDanger(text)) return "emergency";
  if (OUTAGE.test(text) || ENGLISH_OUTAGE.test(text)) return "high";
  // The resident says in so many words that it can wait.
  if (NOT_URGENT.test(text)) return "normal";
  // The classifier learned from Chinese sentences: told in English, it reads the glossary's words for it.
  if (mostlyEnglish(text)) {
    const words = englishSearchTerms(text);
    return words !== "" && modelSaysHigh(words, model) ? "high" : "normal";
  }
  // A complaint is as urgent as its most urgent sentence; judged whole, a
  // long story's ordinary words drown the one sentence about the danger.
  const sentences = text.split(/[。！!？?；;\n]+/).filter((t) => t.trim() !== "");
  const parts = sentences.length > 1 ? [text, ...sentences] : [text];
  return parts.some((part) => modelSaysHigh(part, model)) ? "high" : "normal";
}

function modelSaysHigh(text: string, model: NaiveBayes<Urgency>): boolean {
  const p = model.predict(text).probabilities;
  return p.high + p.emergency >= MODEL_HIGH;
}

/**
 * What the rules alone say of a message (a live danger, an outage): for
 * details (a place, a name) that must not move the urgency on the
 * classifier's reading of a few words.
 */
export function ruleUrgency(text: string): Urgency | undefined {
  if (liveDanger(text)) return "emergency";
  return OUTAGE.test(text) ? "high" : undefined;
}

/** The urgency one message states, or undefined when it says nothing urgent. */
export function extractUrgency(text: string): Urgency | undefined {
  const urgency = assessUrgency(text);
  return urgency === "normal" ? undefined : urgency;
}

export const URGENCY_RANK: Record<Urgency, number> = { normal: 0, high: 1, emergency: 2 };

/** The fields a resident can correct in one message. */
export interface FieldCorrections {
  district?: District;
  community?: string;
  company?: string;
  description?: string;
  anonymous?: boolean;
  location?: string;
  /** 更正一下 是十一户不是十二户: a detail of what happened set right, added to the description. */
  amendment?: string;
}

/** …, not X: the value denied in English. */
const ENGLISH_DENIED = /\bnot\s+[^,.;!?，。；！？]*/gi;
/** 不是X，是Y: what the resident denies is dropped before reading the value. */
const DENIED =
  /(?:不是|不叫|并非|不属于)[^，,。；;！!是叫]*[，,；;]?|不在[^，,。；;！!是叫在]*[，,；;]?|[^，,。；;！!]{2,6}(?:是(?:我|俺)的?|是)(?:老家|原籍|户口所在地|娘家|上班的地方)|(?:老家|原籍|娘家|户口)(?:在|是)[^，,。；;！!]{2,6}/gu;
/** What follows a district's short name when it begins an estate's or a road's name. */
const INSIDE_A_NAME = /^(园|苑|小区|花园|家园|新村|名苑|佳苑|雅苑|路|街|大道|广场|院)/u;

/** 新华园, 卫东路: a district's short name (two characters) that begins a name is not the district. */
function beginsAName(text: string, m: { index: number; alias: string }): boolean {
  return m.alias.length <= 2 && INSIDE_A_NAME.test(text.slice(m.index + m.alias.length));
}
/** The value after 是/叫/改成 in a correction. */
const VALUE_AFTER =
  /(?:应该是|应该叫|应该在|改成|改为|换成|写成|是|叫|为|在)[:：]?\s*([^，,。！!；;]+)[。！!]?$/u;
const DESCRIPTION =
  /^(?:具体)?(?:情况|事情|问题|内容|描述|经过)(?:应该)?(?:是|改成|改为|写成|如下)[:：，,]?\s*([\s\S]{4,})$/u;

/** 打错了 建业新天地: the value after the words that say something was wrong. */
const VALUE_AFTER_WRONG =
  /(?:错了|不对|错啦)[，,。！!\s：:]+(?:是|应该是)?\s*([^，,。！!；;\s]+)[。！!]?$/u;

function valueAfter(text: string): string | undefined {
  const whole =
    text.match(VALUE_AFTER)?.[1]?.trim() || text.match(VALUE_AFTER_WRONG)?.[1]?.trim() || undefined;
  if (whole) return whole;
  // 小区叫某某苑二期，忘写了: the value is in the first clause, a remark follows it.
  const first = text.split(/[，,。；;！!]/u)[0] ?? "";
  return first !== text ? first.match(VALUE_AFTER)?.[1]?.trim() || undefined : undefined;
}

/** 写错了，是X / 不对，应该是X: a new value with no field named, for the field just answered. */
export function readBareCorrection(text: string): string | undefined {
  const t = text.trim();
  if (!CORRECTION.test(t) || t.length > 40) return undefined;
  const value = valueAfter(t.replace(DENIED, " "));
  return value && value.length >= 2 && value.length <= 30 ? value : undefined;
}

/** 没有小区名，就是…: there is no name to correct to; what follows describes the place. */
const NO_NAME_GIVEN = /(没有|没)(小区)?(名字?|名称)|没(有)?名字/u;

/**
 * What one message corrects in the draft, field by field (the estate's name,
 * the district, the company, the story, anonymity). Undefined when it
 * corrects nothing.
 */
export function readCorrections(text: string): FieldCorrections | undefined {
  const t = text.trim();
  const out: FieldCorrections = {};
  const description = t.match(DESCRIPTION)?.[1]?.trim();
  // The new description is the whole rest; names in it are not corrections.
  if (description) return { description };

  const anonymous = extractAnonymity(t);
  if (anonymous !== undefined) out.anonymous = anonymous;
  const asserted = t.replace(DENIED, " ").replace(ENGLISH_DENIED, " ");
  const wrong = isCorrection(t);

  if (/物业公司|物业的名字|物业名|物业叫|物业是|公司(?:名|是|叫)/u.test(t)) {
    const after = valueAfter(asserted.replace(/^.*?(物业公司|物业的名字|物业名|物业|公司)/u, ""));
    const company =
      extractCompany(asserted.replace(/^.*?(物业公司|物业的名字|物业名)/u, "")) ??
      (after && after.length >= 2 && after.length <= 30 ? after : undefined);
    if (company) out.company = company;
  }

  const aboutCommunity = /小区|院名|院子叫|名字/u.test(t);
  const named = findCommunityNames(asserted).at(-1)?.name;
  if (named && (aboutCommunity || wrong)) out.community = tidyName(named, asserted);
  else if (aboutCommunity && !out.company && !NO_NAME_GIVEN.test(t)) {
    const after = valueAfter(asserted.replace(/^.*?(小区名字|小区名|小区|院名|名字)/u, ""));
    const answer = after ? extractCommunity(after, { answering: true }) : undefined;
    if (answer) out.community = answer.name;
  }

  const aboutDistrict =
    /区县|哪个区|所在区|区是|县是|市是|区写|县写|[区县市](说|写|弄|搞|填)(错|反)|[区县市]不对/u.test(
      t,
    );
  // 新华园 is an estate's name, not 新华区: a district's short name inside a name is not the district.
  const district = findDistricts(asserted)
    .filter((d) => !beginsAName(asserted, d))
    .at(-1)?.district;
  if (district && (aboutDistrict || wrong)) out.district = district;

  const place = asserted.match(
    /(?:位置|地点|具体位置|楼号|几号楼|门牌)(?:写|打|说)?(?:错了?|不对)?[，,]?\s*(?:应该)?(?:是|在|改成|改为)\s*([^，,。！!；;]{1,24})/u,
  )?.[1];
  // The resident's own words for where: 位置 named outright is taken whole (C区靠电梯口那块).
  if (place) out.location = place.trim();
  else if (wrong) {
    const building = extractLocation(asserted);
    if (building && /\d|[一二三四五六七八九十]/.test(building)) out.location = building;
  }
  // Set right, but no field named: the correction itself goes on record with what happened.
  const said = asserted.replace(CORRECTION_LEAD, "").trim();
  if (wrong && Object.keys(out).length === 0 && said.length >= 2) out.amendment = said;

  return Object.keys(out).length > 0 ? out : undefined;
}
