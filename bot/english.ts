/**
 * Offline, an English question is searched through this glossary of the
 * terms residents use, and answered in Chinese after a short English note.
 * Longest phrases first, so "owners' committee" wins over "owner".
 */
const GLOSSARY: [RegExp, string][] = [
  [/owners'? ?(committee|board)|homeowners'? association|\bhoa\b/i, "业主委员会"],
  [/owners'? (assembly|meeting|general meeting)/i, "业主大会"],
  [/maintenance fund|repair fund|sinking fund/i, "专项维修资金"],
  [/property (management )?(fee|charge)s?|management fee|service fee/i, "物业费"],
  [/property (management )?(company|manager|firm)|management company/i, "物业服务企业"],
  [/property management/i, "物业管理"],
  [/cut (off )?(the )?(water|power|electricity)|shut off|disconnect/i, "停水停电"],
  [/\bwater\b/i, "供水"],
  [/electricity|\bpower\b/i, "供电"],
  [/fire (lane|exit|escape|passage)|emergency lane/i, "消防通道"],
  [/\bfire\b/i, "消防"],
  [/e-?bikes?|electric (bike|bicycle|scooter)s?/i, "电动自行车"],
  [/charg(e|ing)/i, "充电"],
  [/stair(well|way|case)s?|hallway|corridor/i, "楼道"],
  [/parking (space|spot|lot)s?|car park|garage/i, "车位"],
  [/parking/i, "停车"],
  [/renovat(e|ion)|decorat(e|ion)/i, "装修"],
  [/elevator|lift/i, "电梯"],
  [/\bleak(s|ing)?\b/i, "漏水"],
  [/neighbou?r/i, "相邻 邻居"],
  [/nois(e|y)/i, "噪声"],
  [/(falling|thrown) objects?|thrown from|fell from/i, "高空抛物 坠落"],
  [/handover|hand over|take ?over/i, "交接 移交"],
  [/leav(e|ing)|walk(ed|s)? out|withdraw|quit/i, "撤出"],
  [/contract/i, "物业服务合同"],
  [/elect(ion|ed)?|vote|voting/i, "选举 表决"],
  [/developer/i, "建设单位"],
  [/raise|increase|hike/i, "调整 收费标准"],
  [/publish|disclos(e|ure)|public notice/i, "公示 公开"],
  [/complain(t)?/i, "投诉"],
  [/common (area|part)s?|shared (area|space)s?/i, "共有部分"],
  [/income|revenue|advertis/i, "共有部分 收益"],
  [/security guard|guard/i, "秩序维护"],
  [/garbage|rubbish|trash|waste/i, "垃圾"],
  [/\bpets?\b|\bdogs?\b/i, "饲养动物"],
  [/illegal (construction|building)|unauthori[sz]ed (structure|construction)/i, "违法建设 搭建"],
];

/** Chinese search terms for an English question; empty when nothing is recognised. */
export function englishToSearchTerms(text: string): string {
  return GLOSSARY.filter(([pattern]) => pattern.test(text))
    .map(([, terms]) => terms)
    .join(" ");
}

export const ENGLISH_NOTE =
  "Note: I answer from Chinese regulations, so the answer below is in Chinese; the cited articles are the official texts.";

export const ENGLISH_NOT_FOUND =
  "Sorry, I could not match your question to the regulations I hold (Henan Province, Pingdingshan City and national property-management rules). Please ask in Chinese if you can, or call the 12345 government service hotline.";
