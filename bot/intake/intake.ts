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
  isCorrection,
  URGENCY_RANK,
} from "./extract.ts";
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

/** Words that only answer the bot's question; they add nothing to the description. */
function isBareAnswer(text: string, state: IntakeState): boolean {
  // Contact details and polite words are answers, not part of what happened.
  const rest = maskPhones(text)
    .replace(/\d{3}\*{4}\d{4}/g, "")
    .replace(/我叫[\p{Script=Han}]{2,3}|(?:我|免贵)?姓[\p{Script=Han}]|电话|手机|号码/gu, "")
    .replace(/[\s，,。！!？?、]/g, "")
    .replace(/还是|匿名|谢谢|不留|可以|好的|是的|对|嗯|吧/g, "");
  return state.asking !== undefined && rest.length <= 14 && !/[了吗呢吧啊]$/.test(rest);
}

/** Reads one resident turn (Simplified text) into the draft. Returns the field it filled last, if any. */
export function applyTurn(state: IntakeState, text: string, ctx: TurnContext): void {
  const draft = state.draft;
  // "小区是某某花园" names the community outright, as the summary invites.
  const correcting = isCorrection(text) || /小区名?(?:应该)?(?:是|叫|改成|改为)/.test(text);
  state.transcript.push({ role: "resident", text: maskPhones(text), at: ctx.at });

  const district = extractDistrict(text);
  if (district && (draft.district === null || correcting || state.asking === "district")) {
    draft.district = district;
  }
  const community = extractCommunity(text);
  const replaceWeak = community?.strong && !state.communityStrong;
  if (
    community &&
    (draft.community === null || correcting || state.asking === "community" || replaceWeak)
  ) {
    draft.community = community.name;
    state.communityStrong = community.strong;
  }
  // A building number (3栋2单元) says more than a kind of place (楼道) said earlier.
  const location = extractLocation(text);
  const precise =
    location !== undefined && /\d|[一二三四五六七八九十](号楼|栋|幢|单元)/.test(location);
  const hadPrecise = draft.location !== null && /\d|(号楼|栋|幢|单元)/.test(draft.location);
  if (location && (correcting || draft.location === null || (precise && !hadPrecise))) {
    draft.location = location;
  }
  draft.company = draft.company ?? extractCompany(text) ?? null;
  draft.occurredAt = draft.occurredAt ?? extractOccurredAt(text) ?? null;

  const anonymous = extractAnonymity(text);
  if (anonymous !== undefined) draft.anonymous = anonymous;
  if (anonymous) draft.contact = null;
  const contact = ctx.private && !draft.anonymous ? extractContact(text) : undefined;
  if (contact)
    draft.contact = {
      name: contact.name ?? draft.contact?.name ?? null,
      phone: contact.phone ?? draft.contact?.phone ?? null,
    };
  if (state.asking === "contact" && /不留|不用|不想留|算了不/.test(text))
    state.contactDeclined = true;

  const urgency = extractUrgency(text);
  if (urgency && URGENCY_RANK[urgency] > URGENCY_RANK[draft.urgency]) draft.urgency = urgency;

  if (!isBareAnswer(text, state) || draft.description === "") {
    // Phone numbers belong in the contact field, never in text staff forward.
    const line = maskPhones(text).trim();
    draft.description = draft.description ? `${draft.description}\n${line}` : line;
  }
  draft.category =
    classifyComplaint(draft.description) ?? classifyComplaint(text) ?? draft.category ?? "other";
}

/** The next thing to ask, or undefined when the draft is ready to confirm. */
export function nextQuestion(
  state: IntakeState,
  isPrivate: boolean,
): { field: IntakeField; text: string } | undefined {
  const d = state.draft;
  const need: IntakeField[] = [];
  if (d.description.replace(/\s/g, "").length < 8) need.push("description");
  if (d.district === null) need.push("district");
  if (d.community === null) need.push("community");
  if (isPrivate && !d.anonymous && d.contact === null && !state.contactDeclined)
    need.push("contact");
  const field = need.find((f) => (state.asked[f] ?? 0) < MAX_ASKS);
  if (!field) return undefined;
  return { field, text: QUESTIONS[field] };
}

export function markAsked(state: IntakeState, field: IntakeField): void {
  state.asking = field;
  state.asked[field] = (state.asked[field] ?? 0) + 1;
}

export function recordBotTurn(state: IntakeState, text: string, at: string): void {
  state.transcript.push({ role: "bot", text, at } satisfies TranscriptLine);
}
