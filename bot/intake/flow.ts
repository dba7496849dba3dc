import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { CATEGORY_PLAN_KEY, DISTRICTS, type District } from "../complaint.ts";
import type { ComplaintDesk } from "../complaint-desk.ts";
import type { ConversationState } from "../conversation-state.ts";
import type { EngineLogger } from "../logger.ts";
import type { ParsedMessage, Reply } from "../message.ts";
import type { Segment } from "../reply-text.ts";
import { complaintSignal } from "./classify.ts";
import {
  extractAnonymity,
  extractCommunity,
  extractContact,
  extractDistrict,
  extractUrgency,
  isCorrection,
} from "./extract.ts";
import { applyTurn, markAsked, nextQuestion, recordBotTurn, startIntake } from "./intake.ts";
import type { IntakeState } from "./intake-state.ts";
import { complaintSummary } from "./summary.ts";

export interface IntakeDeps {
  kb: KnowledgeBase;
  desk: ComplaintDesk | undefined;
  now: () => Date;
  log: EngineLogger;
  /** Reads the fields the rules missed, when a model is configured. */
  refine?: (state: IntakeState) => Promise<void>;
}

type DraftReply = Omit<Reply, "text"> & { segments: Segment[] };

export const EMERGENCY_FIRST =
  "【紧急】如果有明火、烟雾、燃气泄漏或有人被困，请马上拨打 119（火警）或 110 报警；电梯困人请按电梯里的紧急呼叫按钮或拨打轿厢内张贴的救援电话，并远离危险区域。";

const CANCEL =
  /^(算了|取消|不投诉了|不用了|不登记了|不要了|不弄了|撤销|别登记了|先不了)[。！!～~]*$/;
const CONFIRM = /^(确认|确定|提交|对|对的|没问题|是的|是|好|好的|可以|行|ok|嗯|没错)[。！!～~]*$/i;

export function isCancel(text: string): boolean {
  return CANCEL.test(text.trim());
}

const text = (t: string): Segment[] => [{ text: t }];

/** A message that tells where, who, or how to be named belongs to the complaint, not to a new question. */
function addsIntakeDetail(simplified: string): boolean {
  return (
    extractDistrict(simplified) !== undefined ||
    extractCommunity(simplified)?.strong === true ||
    extractAnonymity(simplified) !== undefined ||
    extractContact(simplified) !== undefined ||
    (isCorrection(simplified) && simplified.length < 30) ||
    complaintSignal(simplified).score >= 4
  );
}

function legalBasisFor(kb: KnowledgeBase, state: IntakeState) {
  return async (): Promise<string[]> => {
    const { draft } = state;
    const keys: string[] = [];
    const { hits } = await kb.retriever.search(draft.description, { limit: 6 });
    const top = hits[0]?.bm25 ?? 0;
    for (const h of hits) {
      if (h.unit.docId === "pds-plan-2024" || h.bm25 < 0.35 * top) continue;
      keys.push(h.key);
      if (keys.length === 2) break;
    }
    const planKey = draft.category ? CATEGORY_PLAN_KEY[draft.category] : undefined;
    if (planKey && kb.unit(planKey)) keys.push(planKey);
    return keys;
  };
}

function whatHappensNext(district: District | null, number: string): string {
  const where = district ? `${district}的物业管理主管部门` : "所在区县的物业管理主管部门";
  return `已登记，投诉编号：${number}。\n接下来：工作人员会审核您的投诉，核实后转交${where}处理；处理有进展时，我会在这里告诉您。发送「进度 ${number}」可随时查询。如遇紧急危险，请直接拨打 119 或 110。`;
}

/** Asks the next question, or shows the summary to confirm when nothing is missing. */
function advance(state: IntakeState, isPrivate: boolean, at: string, lead = ""): DraftReply {
  const next = nextQuestion(state, isPrivate);
  let body: string;
  let kind: Reply["kind"];
  if (next) {
    markAsked(state, next.field);
    state.stage = "collecting";
    body = next.text;
    kind = "complaint_question";
  } else {
    state.stage = "confirming";
    state.asking = undefined;
    body = complaintSummary(state.draft);
    kind = "complaint_confirm";
  }
  recordBotTurn(state, body, at);
  return {
    kind,
    citations: [],
    segments: text(lead ? `${lead}\n${body}` : body),
    ...(kind === "complaint_confirm" ? { actions: ["confirm", "cancel"] as const } : {}),
  } as DraftReply;
}

export type IntakeMode = "collect" | "offer";

const LIVE = /！|!|快来|快点|快叫|救命|现在|正在|还在|里面还有|里头还有|烟好大|呛|赶紧/;

/**
 * Whether a message should open an intake: a live danger or a plain
 * statement of a problem starts collecting at once; a question about a
 * problem is answered, with an offer to file it.
 */
export function intakeMode(
  simplified: string,
  recent: string[] = [],
): { mode: IntakeMode; emergency: boolean; withRecent: boolean } | undefined {
  const signal = complaintSignal(simplified);
  // "小区着火了物业该干啥？" asks about a rule; a live danger sounds urgent.
  const live = !signal.question || LIVE.test(simplified);
  const emergency = extractUrgency(simplified) === "emergency" && live;
  if (emergency) return { mode: "collect", emergency, withRecent: false };
  if (signal.explicit || (!signal.question && signal.score >= 4)) {
    return { mode: "collect", emergency, withRecent: recent.length > 0 };
  }
  if (signal.question && signal.score >= 6) return { mode: "offer", emergency, withRecent: false };
  // A problem told over several messages: the place arrives after the story.
  if (recent.length > 0 && tellsWhere(simplified)) {
    const story = complaintSignal([...recent, simplified].join("\n"));
    if (story.score >= 4) return { mode: "collect", emergency, withRecent: true };
  }
  return undefined;
}

function tellsWhere(simplified: string): boolean {
  return extractDistrict(simplified) !== undefined || extractCommunity(simplified)?.strong === true;
}

/** Opens an intake for a message; the draft starts with what the message already says. */
export function openIntake(
  msg: ParsedMessage,
  texts: string[],
  mode: IntakeMode,
  at: string,
): IntakeState {
  const groupDistrict = DISTRICTS.find((d) => d === msg.group?.district);
  const state = startIntake({
    platform: msg.platform,
    senderId: msg.senderId,
    ...(msg.chatType === "group" ? { groupConversationId: msg.conversationId } : {}),
    prefill: {
      ...(groupDistrict ? { district: groupDistrict } : {}),
      ...(msg.group?.community ? { community: msg.group.community } : {}),
    },
    at,
  });
  for (const t of texts) applyTurn(state, t, { private: msg.chatType === "private", at });
  if (mode === "offer") state.stage = "offered";
  return state;
}

export const OFFER_LINE = "如需我帮您把这件事登记成投诉、转交相关部门处理，回复「投诉」即可。";
export const GROUP_HANDOFF = "为保护您的隐私，我私聊您继续登记这个投诉，请留意私聊消息。";
const COLLECT_LEAD = "我可以帮您把这件事登记成投诉，转交相关部门处理。（随时回复「算了」可取消）";

/** The first intake question, with the emergency instruction first when there is danger. */
export function firstQuestion(
  state: IntakeState,
  at: string,
  emergency: boolean,
  inGroup: boolean,
): string {
  const lead = inGroup
    ? "您好，接着群里说的问题，我在这里帮您登记投诉。（回复「算了」可取消）"
    : COLLECT_LEAD;
  const body = advance(state, true, at, lead)
    .segments.map((s) => s.text)
    .join("");
  return emergency && !inGroup
    ? `${EMERGENCY_FIRST}
${body}`
    : body;
}

const ACCEPT =
  /^(投诉|我要投诉|登记|帮我登记|帮我投诉|要|好|好的|嗯|是的|可以|行|麻烦了|麻烦你|对)[。！!～~]*$/;

/** One resident message while an intake is open in their private chat. */
export async function handleIntakeTurn(
  deps: IntakeDeps,
  msg: ParsedMessage,
  conversation: ConversationState,
  simplified: string,
  at: string,
): Promise<DraftReply | undefined> {
  const state = conversation.intake;
  if (!state) throw new Error("no intake in this conversation");

  if (msg.action === "cancel" || isCancel(simplified)) {
    conversation.intake = undefined;
    deps.log.info({ event: "intake_cancelled", platform: msg.platform });
    return {
      kind: "complaint_cancelled",
      citations: [],
      segments: text("好的，已取消，这次的内容不会提交。需要时随时再找我。"),
    };
  }

  if (msg.attachment && simplified === "") {
    state.draft.evidence.push({
      kind: msg.attachment.kind,
      ...(msg.attachment.ref ? { ref: msg.attachment.ref } : {}),
      at,
    });
    const noun = msg.attachment.kind === "image" ? "图片" : "附件";
    return advance(state, true, at, `已收到${noun}，会作为证据附在投诉里。`);
  }

  if (state.stage === "offered") {
    // An offered intake continues only when the resident takes it up or adds its details.
    const takesItUp = ACCEPT.test(simplified.trim());
    if (!takesItUp && !addsIntakeDetail(simplified)) return undefined;
    if (!takesItUp) {
      applyTurn(state, simplified, { private: true, at });
      await deps.refine?.(state);
    }
    return advance(state, true, at, takesItUp ? COLLECT_LEAD : "");
  }

  const confirming = state.stage === "confirming";
  if (confirming && (msg.action === "confirm" || CONFIRM.test(simplified.trim()))) {
    if (!deps.desk) throw new Error("an intake was opened without a complaint desk");
    state.draft.legal_basis = await legalBasisFor(deps.kb, state)();
    const filed = await deps.desk.file({
      complaint: state.draft,
      origin: {
        platform: state.platform,
        privateConversationId: msg.conversationId,
        senderId: state.senderId,
        ...(state.groupConversationId ? { groupConversationId: state.groupConversationId } : {}),
      },
      transcript: state.transcript,
    });
    conversation.intake = undefined;
    deps.log.info({
      event: "complaint_filed",
      case: filed.number,
      category: filed.complaint.category,
      district: filed.complaint.district,
      urgency: filed.complaint.urgency,
    });
    return {
      kind: "complaint_filed",
      citations: filed.complaint.legal_basis,
      segments: text(whatHappensNext(filed.complaint.district, filed.number)),
      caseNumber: filed.number,
    };
  }

  applyTurn(state, simplified, { private: true, at });
  await deps.refine?.(state);
  return advance(state, true, at, confirming ? "已更新。" : "");
}
