import { type Complaint, emptyComplaint, type TranscriptLine } from "../complaint.ts";
import { maskPhones } from "../privacy.ts";
import { classifyComplaint } from "./classify.ts";
import {
  extractAnonymity,
  extractCommunity,
  extractCompany,
  extractContact,
  extractDistrict,
  extractLocation,
  extractOccurredAt,
  extractUrgency,
  findCommunityNames,
  ruleUrgency,
  URGENCY_RANK,
} from "./extract.ts";
import { findDistricts } from "./gazetteer.ts";
import type { IntakeField, IntakeState } from "./intake-state.ts";

export interface TurnContext {
  /** Contact details are only ever taken from a private chat. */
  private: boolean;
  at: string;
}

const QUESTIONS: Record<IntakeField, string> = {
  district: "请问是在哪个区县？（如新华区、卫东区、湛河区、舞钢、汝州、示范区等）",
  community: "请问是哪个小区？",
  description: "请简单说说发生了什么：什么问题、持续多久了、找过物业没有？",
  contact:
    "为了方便工作人员回访，可以留下您的称呼和手机号吗？只有处理投诉的工作人员能看到。如果希望匿名，回复「匿名」；不想留也可以回复「不留」。",
};

/** How many times a field is asked before the intake moves on without it. */
const MAX_ASKS = 2;

/** 不知道叫啥小区 / 小区名不用写 / 不在小区里: there is no estate name to wait for. */
export const NO_COMMUNITY_NAME =
  /(?:不(?:知道|晓得|清楚|记得)|说不(?:上来|出来|清))(?:它|这|那|这个|那个)?(?:小区|院子?)?(?:叫|是)(?:个)?(?:啥|什么|哪个)|不(?:知道|晓得|清楚)(?:是)?(?:啥|什么|哪个)小区|小区(?:名字?|的名字)?(?:就)?(?:不用|不必|甭|别|没法)(?:写|填|问|说)|没有?(?:小区名|名字的小区)|不是(?:在)?小区里|不在小区里|没有小区/u;

/** 说不清归哪个区: there is no district to wait for; staff place it from the estate. */
export const NO_DISTRICT_NAME =
  /(?:不(?:知道|晓得|清楚)|说不(?:上来|清)|搞不清)[^，。？?]{0,4}(?:哪个|哪|啥)(?:区县|区|县)/u;

export function startIntake(input: {
  platform: string;
  senderId: string;
  groupConversationId?: string;
  prefill?: { district?: Complaint["district"]; community?: string };
  at: string;
}): IntakeState {
  const draft = emptyComplaint();
  if (input.prefill?.district) draft.district = input.prefill.district;
  if (input.prefill?.community) draft.community = input.prefill.community;
  return {
    stage: "collecting",
    draft,
    platform: input.platform,
    senderId: input.senderId,
    ...(input.groupConversationId ? { groupConversationId: input.groupConversationId } : {}),
    transcript: [],
    startedAt: input.at,
    asked: {},
  };
}

/** Which draft fields a message changed, so "已更新" is said only when something did. */
export type ChangedField =
  | "district"
  | "community"
  | "location"
  | "company"
  | "occurredAt"
  | "anonymous"
  | "contact"
  | "urgency"
  | "description";

/**
 * Reads the details one resident message gives (Simplified text) into the
 * draft: where, which company, when, how to reach them. `override` replaces
 * what is there (a correction or the answer to the question just asked).
 */
export function applyDetails(
  state: IntakeState,
  text: string,
  ctx: TurnContext & { override?: boolean },
): ChangedField[] {
  const draft = state.draft;
  const before = JSON.stringify(draft);
  const changed: ChangedField[] = [];
  const set = <K extends ChangedField & keyof Complaint>(field: K, value: Complaint[K]) => {
    if (JSON.stringify(draft[field]) === JSON.stringify(value)) return;
    (draft as Record<K, Complaint[K]>)[field] = value;
    changed.push(field);
  };
  const override = ctx.override === true;

  const district = extractDistrict(text);
  if (district && (draft.district === null || override || state.asking === "district"))
    set("district", district);
  // A place outside any estate (a square by the road), or one the resident cannot name.
  const noName = NO_COMMUNITY_NAME.test(text);
  const community = noName
    ? undefined
    : extractCommunity(text, {
        answering: state.asking === "community" || state.asking === "district",
      });
  // 汝州市钟楼小区: the county written with the name is the district.
  if (community?.district && (draft.district === null || override))
    set("district", community.district);
  // A name given in English gives way to the same estate's name in Chinese, told later.
  const inEnglish = draft.community !== null && !/\p{Script=Han}/u.test(draft.community);
  const replaceWeak =
    community?.strong &&
    (!state.communityStrong || (inEnglish && /\p{Script=Han}/u.test(community.name)));
  if (
    community &&
    (community.strong || state.asking === "community" || override) &&
    (draft.community === null || override || state.asking === "community" || replaceWeak)
  ) {
    set("community", community.name);
    state.communityStrong = community.strong;
  }
  // A building number (3栋2单元) says more than a kind of place (楼道) said earlier.
  const location = extractLocation(text);
  const precise =
    location !== undefined && /\d|[一二三四五六七八九十](号楼|栋|幢|单元)/.test(location);
  const hadPrecise = draft.location !== null && /\d|(号楼|栋|幢|单元)/.test(draft.location);
  if (location && (override || draft.location === null || (precise && !hadPrecise)))
    set("location", location);
  const company = extractCompany(text);
  if (company && (draft.company === null || override)) set("company", company);
  const occurredAt = extractOccurredAt(text);
  if (occurredAt && draft.occurredAt === null) set("occurredAt", occurredAt);

  const anonymous = extractAnonymity(text);
  if (anonymous !== undefined) set("anonymous", anonymous);
  if (anonymous) set("contact", null);
  // A phone number left on purpose, with no word of anonymity, lifts an earlier 匿名.
  const offered = ctx.private && anonymous !== true ? extractContact(text) : undefined;
  if (offered?.phone && draft.anonymous) set("anonymous", false);
  const contact = draft.anonymous ? undefined : offered;
  if (contact)
    set("contact", {
      name: contact.name ?? draft.contact?.name ?? null,
      phone: contact.phone ?? draft.contact?.phone ?? null,
    });
  if (state.asking === "contact" && /不留|不用|不想留|算了不|不方便/.test(text))
    state.contactDeclined = true;
  // With no estate name to give, asking again only annoys.
  if (draft.community === null && noName) stopAsking(state, "community");
  if (draft.district === null && NO_DISTRICT_NAME.test(text)) stopAsking(state, "district");

  // What happened is judged whole in addDescription; a detail moves urgency only by the rules.
  const urgency = ruleUrgency(text);
  if (urgency && URGENCY_RANK[urgency] > URGENCY_RANK[draft.urgency]) set("urgency", urgency);
  return JSON.stringify(draft) === before ? [] : changed;
}

const REQUEST_LEAD =
  /^(我|俺|我们|俺们)?(要|想|就想|必须)?(投诉|举报|反映|登记)(一下|个事儿?|个情况)?[，,。:：！!\s]+|^(投诉|举报)[：:\s]+/u;

/** A message that tells what happened joins the description, which holds nothing else. */
export function addDescription(state: IntakeState, text: string, replace = false): void {
  const draft = state.draft;
  // Phone numbers belong in the contact field, never in text staff forward.
  // 我要投诉：… says how, not what: staff read what happened.
  const told = withoutPlaceSegments(maskPhones(text).trim());
  const bare = told.replace(REQUEST_LEAD, "");
  const line = bare.length >= 4 ? bare : told;
  if (line === "") return;
  const joined = replace || draft.description === "" ? line : `${draft.description}\n${line}`;
  // A story told on and on still files: the case record holds at most DESCRIPTION_MAX characters.
  draft.description =
    joined.length > DESCRIPTION_MAX ? `${joined.slice(0, DESCRIPTION_MAX - 1)}…` : joined;
  draft.category = classifyComplaint(draft.description) ?? draft.category ?? "other";
  const urgency = extractUrgency(draft.description);
  if (urgency && URGENCY_RANK[urgency] > URGENCY_RANK[draft.urgency]) draft.urgency = urgency;
}

/** What is left of a segment once places, names and the company are taken out: filler only. */
const PLACE_FILLER =
  /^(?:在|住在?|是|俺们?|我们?|咱们?|这边|那边|的|小区(?:名字?)?(?:是|叫)?|物业(?:公司)?(?:是|叫)?|公司(?:是|叫)?|[0-9一二三四五六七八九十两]+(?:号楼|栋|幢|单元|楼|号|层|户)|[，,。：:\s])*$/u;

/** A greeting, who the resident is, or the request to file: no part of what happened. */
const SAYS_NOTHING =
  /^(你好|您好|喂|打扰了|麻烦(你|您)了?|(我|俺)(是|就是)?[^，,。！!\s]{0,12}的?(业主|住户|居民|租户)|(我|俺)?(要|想)?(投诉|举报|反映|登记)(一下)?(物业|他们|开发商)?)[，,。！!～~\s]*$/u;

/**
 * 楼道灭火器过期了 卫东区 建设新村: the district, the 小区 and the company
 * told as segments of their own are fields, not what happened; kept in the
 * description they would outlive a correction of those fields.
 */
function withoutPlaceSegments(text: string): string {
  const segments = text.split(/(?<=[\s，,。；;！!])/u);
  const kept = segments.filter((segment) => {
    let rest = segment;
    for (const d of findDistricts(rest)) rest = rest.split(d.alias).join("");
    for (const c of findCommunityNames(rest)) rest = rest.split(c.name).join("");
    const company = extractCompany(rest);
    if (company) rest = rest.split(company).join("");
    return (rest === segment || !PLACE_FILLER.test(rest)) && !SAYS_NOTHING.test(segment.trim());
  });
  const joined = kept.join("").trim();
  if (joined.replace(/\s/g, "").length >= 4) return joined;
  // 您好，我是某某苑业主，想投诉: a greeting, who they are and the request tell nothing yet.
  return kept.length === 0 && segments.some((seg) => SAYS_NOTHING.test(seg.trim())) ? "" : text;
}

export function recordResidentTurn(state: IntakeState, text: string, at: string): void {
  keepTurn(state, { role: "resident", text: maskPhones(text), at });
}

/** The latest turns are what staff need; an endless chat must not grow the draft without bound. */
function keepTurn(state: IntakeState, line: TranscriptLine): void {
  state.transcript.push(line);
  if (state.transcript.length > TRANSCRIPT_MAX)
    state.transcript.splice(0, state.transcript.length - TRANSCRIPT_MAX);
}

/** Under the complaint schema's 4,000, leaving room for a correction note. */
const DESCRIPTION_MAX = 3000;
const TRANSCRIPT_MAX = 60;

/** The next thing to ask, or undefined when the draft is ready to confirm. */
export function nextQuestion(state: IntakeState): { field: IntakeField; text: string } | undefined {
  const d = state.draft;
  const need: IntakeField[] = [];
  if (d.description.replace(/\s/g, "").length < 8) need.push("description");
  if (d.district === null) need.push("district");
  if (d.community === null) need.push("community");
  // Contact is optional and never a step of its own: the summary asks for it (or 匿名) in
  // the same message that asks to confirm, so 确认 right away files without it.
  const field = need.find((f) => (state.asked[f] ?? 0) < MAX_ASKS);
  if (!field) return undefined;
  return { field, text: QUESTIONS[field] };
}

/** The resident has said all they will about a field (情况是…, told as a correction): not asked again. */
export function stopAsking(state: IntakeState, field: IntakeField): void {
  state.asked[field] = MAX_ASKS;
}

export function markAsked(state: IntakeState, field: IntakeField): void {
  state.asking = field;
  state.asked[field] = (state.asked[field] ?? 0) + 1;
}

export function recordBotTurn(state: IntakeState, text: string, at: string): void {
  keepTurn(state, { role: "bot", text, at });
}
