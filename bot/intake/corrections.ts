import { extractCommunity, extractCompany, extractDistrict } from "./extract.ts";
import { findDistricts } from "./gazetteer.ts";

/**
 * A resident correcting one field of the draft in words: 小区写错了，是X /
 * 区县是卫东区 / 物业公司是X / 情况是…… . Returns the field and the new
 * value as the resident gave it, or undefined when the message corrects nothing.
 */
export type Correction =
  | { field: "community"; value: string }
  | { field: "district"; value: ReturnType<typeof extractDistrict> & string }
  | { field: "company"; value: string }
  | { field: "description"; value: string }
  | { field: "location"; value: string };

const WRONG = /(写|打|说|填|记|弄)?错了?|不对|不是/;
/** What follows 是/叫/改成 in a correction is the value. */
const AFTER_IS = /(?:应该是|应该叫|改成|改为|换成|叫做|是|叫|为)[:：]?\s*(.+)$/;

function valueAfterIs(text: string): string | undefined {
  const m = text.match(AFTER_IS);
  const v = m?.[1]?.replace(/[。！!，,\s]+$/g, "").trim();
  return v && v.length > 0 ? v : undefined;
}

/** The name the resident gave after 是, without a district before it (新华区的建华小区 → 建华小区). */
function communityName(value: string): string | undefined {
  let name = value;
  for (const m of findDistricts(value)) {
    if (m.index === 0) name = value.slice(m.alias.length);
  }
  name = name.replace(/^[的\s，,]+/, "").replace(/^(是|叫)/, "");
  if (name.length < 2 || name.length > 20 || /^(不|没)/.test(name)) return undefined;
  if (extractDistrict(name) && name.length <= 5) return undefined;
  return extractCommunity(name)?.strong
    ? name
    : /[\p{Script=Han}]{2,}/u.test(name)
      ? name
      : undefined;
}

export function readCorrection(text: string): Correction | undefined {
  const t = text.trim();
  const descriptionLead = t.match(
    /^(?:情况|事情|内容|问题|描述)(?:应该)?(?:是|改成|改为|写成)[:：，,]?\s*(.{4,})$/,
  );
  if (descriptionLead?.[1]) return { field: "description", value: descriptionLead[1] };

  // 不是X，是Y: the kind of Y tells which field.
  const swap = t.match(/不是(.+?)[，,、\s]*(?:而)?(?:应该)?是(.+)$/);
  const swapped = swap?.[2]?.replace(/[。！!，,\s]+$/g, "");
  if (swapped) {
    const d = extractDistrict(swapped);
    if (d) return { field: "district", value: d };
    if (/物业/.test(swapped)) {
      const c = extractCompany(swapped) ?? swapped;
      return { field: "company", value: c };
    }
    const c = communityName(swapped);
    if (c) return { field: "community", value: c };
  }

  // 不对，是X: a bare restatement; a community named in it is what was wrong, else the district.
  const restated = t.match(/^(?:不对|错了|说错了|写错了|搞错了|打错了)[，,、\s]*(?:应该)?是(.+)$/);
  if (restated?.[1]) {
    const value = restated[1].replace(/[。！!，,\s]+$/g, "");
    const named = communityName(value);
    if (named) return { field: "community", value: named };
    const d = extractDistrict(value);
    if (d) return { field: "district", value: d };
  }

  const aboutCompany = /物业公司|物业的名字|物业名|物业叫|物业是/.test(t);
  if (aboutCompany) {
    const after = valueAfterIs(t.replace(/^.*?(物业公司|物业的名字|物业名)/, ""));
    const named = after ? (extractCompany(after) ?? after) : extractCompany(t);
    if (named && named.length >= 2 && named.length <= 30) return { field: "company", value: named };
  }

  const aboutCommunity = /小区|小区名|院名|名字/.test(t) && (WRONG.test(t) || AFTER_IS.test(t));
  if (aboutCommunity) {
    const after = valueAfterIs(t.replace(/^.*?(小区名字|小区名|小区|院名|名字)/, ""));
    const named = after ? communityName(after) : undefined;
    if (named && named.length >= 2 && named.length <= 20 && !/^(不|没)/.test(named))
      return { field: "community", value: named.replace(/^(是|叫)/, "") };
  }

  const aboutDistrict = /区县|哪个区|区写|区打|区说|县|区是|不是.{1,6}(区|县|市)/.test(t);
  const district = extractDistrict(t);
  if (district && (aboutDistrict || WRONG.test(t))) return { field: "district", value: district };

  const aboutPlace = /(位置|地点|楼号|几号楼|单元)(写|打|说)?错了?|(位置|地点)(是|在)/.test(t);
  if (aboutPlace) {
    const after = valueAfterIs(t);
    if (after) return { field: "location", value: after };
  }
  return undefined;
}
