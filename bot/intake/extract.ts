import type { District, Urgency } from "../complaint.ts";
import { extractPhone } from "../privacy.ts";
import { findDistricts } from "./gazetteer.ts";

/**
 * Rule-based reading of one resident message (already in Simplified
 * characters) for the complaint fields. Each function returns only what the
 * text states; the intake decides what to keep.
 */

const CORRECTION = /不对|不是|打错|搞错|写错|说错|更正|纠正|应该是|改成|改为/;

export function isCorrection(text: string): boolean {
  return CORRECTION.test(text);
}

/** The district the message names; in a correction (不是卫东区，是新华区) the one after 是. */
export function extractDistrict(text: string): District | undefined {
  const mentions = findDistricts(text);
  if (mentions.length === 0) return undefined;
  if (isCorrection(text) && mentions.length > 1) {
    // "不是X是Y" / "X打错了，是Y": the last named is the right one.
    return mentions.at(-1)?.district;
  }
  // Where someone works or passes through is not where the problem is.
  const home = mentions.filter(
    (m) => !/^[^，。,]{0,4}(上班|工作|打工|上学)/.test(text.slice(m.index + m.alias.length)),
  );
  return home[0]?.district;
}

const SUFFIX =
  "家属院|家属楼|家属区|花园|小区|名苑|新苑|佳苑|雅苑|苑|名居|雅居|新居|名郡|华府|华庭|公寓|公馆|新村|山庄|嘉园|家园|名城|新城|城|湾畔|湖畔|半岛|广场|大厦|国际|府|庭|湾|院|郡|邸";
const AFTER_NAME =
  "(?=[0-9一二三四五六七八九十]*(?:号楼|号院|号|栋|幢|单元|楼|期)|[^\\p{Script=Han}]|$|的|里|业委会|业主|物业|小区|这|那|，|现在|一直|天天|有|没|从|报|选|电梯|楼道|地下|门口|大门|东门|西门|南门|北门|外墙|院里|去年|今年|上个|前天|昨天|今天)";
const NAMED = new RegExp(`([\\p{Script=Han}A-Za-z]{1,10}?(?:${SUFFIX}))${AFTER_NAME}`, "gu");

/** Places that are not a 小区's name. */
const GENERIC =
  /^(我们|我家|俺们|咱们|这个|那个|隔壁|对面|整个|老|新|本|该|这|那|一个|小|大)?(小区|老小区|老旧小区|家属院|老家属院|老楼|院|院里|大院|城|新城|花园|公寓|楼|家园|广场)$/;

const LEADING_NOISE =
  /^(我们小区叫|我们小区是|我们小区|小区名?(?:应该)?(?:叫|是|改成|改为)|应该是|改成|改为|我们是|我们住|我住的是|我住在|我家在|我家住|住在|家是|家在|就在我们|就在|我是|位于|在|是|俺们|我们这是|我们这|这是|那边的|那个|就是)+/;

function cleanName(raw: string): string | undefined {
  // 小区 names do not contain 的: what comes before it is where (县城的凤凰城).
  let name = raw.replace(/^.*的/u, "").replace(LEADING_NOISE, "");
  // A street, road or town written right before the name.
  name = name.replace(/^.*?(街道|街道办|办事处|镇|乡)(?=.{2,})/u, "");
  name = name.replace(
    /^[\p{Script=Han}]{1,4}(路|大道|街)(那边的|边上的?|附近的?|旁边的?|上的)/u,
    "",
  );
  // 创业路火炬公寓: the road is an address; a 家属院 named after its road keeps it.
  if (!/家属(院|楼|区)$/.test(name))
    name = name.replace(/^[\p{Script=Han}]{1,4}(路|大道|大街)(?=[\p{Script=Han}]{3,})/u, "");
  if (name.length < 2 || GENERIC.test(name) || /(路|大道|街|街道|镇|乡)$/.test(name))
    return undefined;
  return name;
}

/** Text with districts and street/town names blanked, so they are not read as part of a 小区 name. */
function withoutPlaces(text: string): string {
  let out = text;
  for (const m of findDistricts(text)) {
    out = out.slice(0, m.index) + " ".repeat(m.alias.length) + out.slice(m.index + m.alias.length);
  }
  return out.replace(
    /[\p{Script=Han}]{1,6}(街道办事处|街道办|街道|办事处|镇|乡)(?=\s|[，,]|$)/gu,
    (m) => " ".repeat(m.length),
  );
}

/**
 * The 小区 the message names, as the resident wrote it. `strong` when it ends
 * in a 小区-like suffix; a weak guess (a bare segment after a district) may be
 * replaced by a strong name later in the conversation.
 */
export function extractCommunity(text: string): { name: string; strong: boolean } | undefined {
  const plain = withoutPlaces(text);
  if (/小区名?(就)?(不说|不讲|保密|不方便)/.test(text)) return undefined;
  const candidates: string[] = [];
  for (const m of plain.matchAll(NAMED)) {
    const name = cleanName(m[1] ?? "");
    if (name) candidates.push(name);
  }
  if (candidates.length > 0) {
    // In a correction the name after 是 is the right one.
    const name = isCorrection(text) ? pickCorrected(text, candidates) : candidates[0];
    return name ? { name, strong: true } : undefined;
  }
  // A short segment right after a district, or a turn that is only a name (建业森林半岛).
  const segments = plain.split(/[\s，,。！!？?；;：:、]+/).filter((s) => s !== "");
  const afterDistrict = findDistricts(text).length > 0;
  for (const seg of segments) {
    const name = cleanName(seg);
    if (!name || name.length > 8 || VERBISH.test(name)) continue;
    if (afterDistrict || segments.length === 1) return { name, strong: false };
  }
  return undefined;
}

function pickCorrected(text: string, candidates: string[]): string | undefined {
  const after = text.split(/不对|不是|打错了?|搞错了?|应该是|改成|改为/).at(-1) ?? "";
  return (
    candidates.find((c) => after.includes(c) && !new RegExp(`${c}是`).test(after)) ??
    candidates.at(-1)
  );
}

/** Words that make a segment a sentence rather than a name. */
const VERBISH =
  /物业|业委会|业主|投诉|反映|报修|没人|不|是|在|说|想|要|能|会|让|找|打|收|交|停|坏|漏|堵|吵|乱|怎么|咋|吗|呢|了|过|着|我|你|他|她|谢谢|匿名|电话|手机|名字|姓|上班|工作|楼道|那几|这几/;

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

export function extractCompany(text: string): string | undefined {
  const m = text.match(
    /(?:叫|是|的)?([\p{Script=Han}]{2,8}物业(?:服务|管理)?(?:有限)?(?:责任)?公司|[\p{Script=Han}]{2,6}物业)(?=[，,。\s]|$|的|公司)/u,
  );
  const name = m?.[1]?.replace(/^(叫|是|的|原来|现在|新|老|这个|那个|我们|小区)+/, "");
  if (!name || /^(我们|小区|这家|那家|原来的?|新的?|老的?)?物业$/.test(name) || name.length < 4)
    return undefined;
  return name;
}

export function extractOccurredAt(text: string): string | undefined {
  const m = text.match(
    /\d{4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}月\d{1,2}[日号]|(?:上|这)(?:个)?(?:礼拜|星期|周)[一二三四五六日天]?|(?:前|昨|今)天(?:晚上|早上|下午|上午)?|昨晚|今早|上个月|这个月|去年|今年|前几天|最近|半夜|[一两三四五六七八九十几\d]+(?:天|个月|年|个星期|周)了/,
  );
  return m?.[0];
}

const ANONYMOUS =
  /匿名|不留名|不想留名|不用留名|别写我|不要写我|别登我|不要登我|名字就?别写|别说是我|不要说是我|别暴露|不要暴露|保密|不想让.{0,6}知道是我|别把我供出去|别供出我|不用写我是谁|不透露|别透露|不要透露|不想暴露|不愿暴露|不想透露|不愿透露|身份保密|不想让人知道|别让人知道|不要留名|不想留名字/;
const NOT_ANONYMOUS = /不用匿名|不匿名|不需要匿名|实名|不怕/;

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

const EMERGENCY =
  /着火|起火|失火|火灾|烧起来|烧着|冒烟|冒黑烟|浓烟|烟好大|黑烟|火星|焦糊味|困在电梯|电梯.{0,12}(困|关着|关了|被关).{0,6}(人|老人|孩子|小孩)|(里头|里面|里边).{0,2}(关着|困着|关了|困了)|(困|关)(了|着).{0,4}(人|老人|孩子|小孩)|被困|困人|下坠|往下坠|煤气味|燃气味|天然气味|漏气|燃气泄漏|煤气泄漏|触电|要掉下来|眼看就要掉|快塌|坍塌|塌了/g;
/** 上回隔壁小区着火: a danger told as past or elsewhere is not a live emergency. */
const NOT_LIVE =
  /(上回|上次|去年|以前|之前|那次|前年|有一次|万一|如果|要是|隔壁小区)[^，。！!？?]{0,8}$/;
const HIGH =
  /停水|断水|没水|停电|断电|(水|电)[^，。]{0,3}(断|停|拉|掐)了|停.{0,6}电梯|拉了?电闸|黑了|电闸|没电|消防通道|消访通道|消防车.{0,4}进不来|飞线|插线板|楼道.{0,10}充电|充电.{0,10}楼道|电动车.{0,10}(上楼|楼道|楼梯)|电瓶车.{0,10}(上楼|楼道|楼梯)|消防栓|消火栓|灭火器|煤气罐|汽油|柴油|隐患|漏电|电线|往下掉|脱落|砸着|砸到|砸死|护栏|锈断|掉下去|坠落|电梯.{0,8}(卡|坏|停运|故障|关)|报警主机|消防控制室|危险|害怕|楼道.{0,10}(堆|放满|占满)|堆.{0,6}(楼道|楼梯)|烟头/;

/** How urgent the situation described is (CONTRACTS §4). */
export function extractUrgency(text: string): Urgency | undefined {
  for (const m of text.matchAll(EMERGENCY)) {
    if (!NOT_LIVE.test(text.slice(0, m.index))) return "emergency";
  }
  if ([...text.matchAll(EMERGENCY)].length > 0) return "high";
  if (HIGH.test(text)) return "high";
  return undefined;
}

export const URGENCY_RANK: Record<Urgency, number> = { normal: 0, high: 1, emergency: 2 };
