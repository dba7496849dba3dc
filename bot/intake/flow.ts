import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { CATEGORY_PLAN_KEY, DISTRICTS, type District } from "../complaint.ts";
import type { ComplaintDesk } from "../complaint-desk.ts";
import type { EngineLogger } from "../logger.ts";
import type { ParsedMessage, Reply } from "../message.ts";
import type { Segment } from "../reply-text.ts";
import { extractAnonymity, extractCommunity, extractDistrict } from "./extract.ts";
import {
  addDescription,
  applyDetails,
  markAsked,
  nextQuestion,
  recordBotTurn,
  recordResidentTurn,
  startIntake,
} from "./intake.ts";
import type { IntakeField, IntakeState } from "./intake-state.ts";
import { complaintSummary } from "./summary.ts";

type DraftReply = Omit<Reply, "text"> & { segments: Segment[] };

export const EMERGENCY_FIRST =
  "【紧急】如果有明火、烟雾、燃气泄漏或有人被困，请马上拨打 119（火警）或 110 报警；电梯困人请按电梯里的紧急呼叫按钮或拨打轿厢内张贴的救援电话，并远离危险区域。";
export const OFFER_LINE = "如需我帮您把这件事登记成投诉、转交相关部门处理，回复「投诉」即可。";
export const GROUP_HANDOFF = "为保护您的隐私，我私聊您继续登记这个投诉，请留意私聊消息。";
const COLLECT_LEAD = "我可以帮您把这件事登记成投诉，转交相关部门处理。（随时回复「算了」可取消）";
const GROUP_LEAD = "您好，接着群里说的问题，我在这里帮您登记投诉。（回复「算了」可取消）";

/** Ways residents say they do not want to go on: giving up, only asking, putting it off, withdrawing. */
const LEAVE_PHRASE = [
  "算(了|球了?|逑了?|求了?|啦)(算了)?(吧|啦)?",
  "拉倒吧?|罢了(罢了)?|得了吧",
  "(先|暂时|还是|就|我|俺|你|您|恁)*(不|别)(用|要|想|需要|打算|再)?(再)?(帮我|给我|替我|帮忙|你|您)?(投诉|登记|登|提交|交|反映|弄|搞|整|告|报|办|管|投|记|折腾|麻烦|追究|提|说)(你|您)?(了|啦|吧)?",
  "(先)?不了(不了)?",
  "撤(了|回|掉|销)吧?",
  "删(了|掉)吧?",
  "不用了|不需要了|不要了|不用麻烦了|(就)?不(用)?麻烦(你|您)?了|不必了|没必要了?",
  "取消(吧)?(投诉|登记)?",
  "(我)?(想|要)?(请|麻烦)?(你)?(帮我|给我)?(取消|撤回|撤销|作废|删除|删掉)(掉)?(这次|这个|这条|刚才的|刚才那个|我的|那个)?的?(投诉|登记|内容|反映)?(吧)?",
  "(刚才的|这次的|刚才那个)?(内容|投诉|登记)(作废|不要了|删了|删掉)(吧)?",
  "(我)?(想|要)?(请|麻烦)?(你)?(帮我|给我)?把(这次|这个|这条|刚才|我的|那个)?的?(投诉|登记|内容|反映)(给)?(取消|撤回|撤销|作废|删除|删)(掉|了)?(吧)?",
  "(我)?(决定)?(不想|不打算|不)继续(投诉|登记|反映)?了?|(我)?放弃(这次|这个)?(投诉|登记)?(吧|了)?",
  "(先|暂时|目前|现在)?(不用|不需要|不要|不必)了",
  "(请)?(停止|终止|结束|退出)(登记|投诉|吧)?",
  "(我|俺)?(就|只)是?(来|想)?(问问|了解一下|随便问问|咨询一下|问一下|打听(打听|一下)?)(的|情况|政策|规定)?(而已|罢了)?|随便问问|(问问|问一下|咨询一下|了解一下|打听打听)(而已|罢了)",
  "我?(再)?(想想|想了想|考虑考虑?|考虑一下|琢磨琢磨?)|(等我)?(想好|考虑好)了?再说|(以后|回头|改天|过两天|过几天|等等|下次|有空)再说|先这样吧?|没事了|先?放(着|一放|放)吧?",
  "(就)?当我没说|我?(就|只是)?随口(一说|说说|问问)",
  "我?(再)?问问(别人|邻居|家里人|律师|其他人)(再说)?|我?(就|只)?(是)?(发发|发个|吐吐|吐个)(牢骚|苦水)(而已|罢了)?|我?(就|只)?(是)?吐槽(一下|吐槽)?(而已|罢了)?",
  "我?(就)?随便说说(的)?|不用当真|别当真|还是别了|别了吧?|(这事)?我?不想(再)?追究(了)?|(先|就)?到这(里|儿)?吧|没事儿了?",
  "(暂时|暂|先)*不(需要|用)?(你|您)?(处理|提交|管)(了)?",
  "(那)?我?(还是|直接|自己|先)+去?(打|找|问)(个)?(电话)?(问问?)?(12345|街道|社区|业委会|物业|住建局|居委会|市长热线)(说说?|问问?|反映)?(吧|去)?(?!了)",
  "(可以|能不能|能|可不可以)(先)?不(用)?(登记|投诉|提交|报)(吗|嘛)?",
  "我?再等等(看|再说)?吧?|等等(看|再说)吧?|(先)?不管(它|他们)?了|(这事|这个)?先?(放放|放一放|搁着|搁一搁|缓缓|缓一缓)(吧|再说)?|我?(改天|回头|过两天)再(来|问|说|找你)|忘了(它|这事)吧?",
  "(nah|no|ok|okay)?[, ]*(forget it|never ?mind|cancel( it| that)?|don'?t bother|leave it|no thanks)([, ]*(not worth (it|the hassle)|i'?ll (handle|sort) it( myself)?))?",
  "我?(要)?(撤回|撤销|取消)(这个|这条|刚才的|那个)?(投诉|登记)",
  "(这个|刚才的|那个)?(投诉|登记)我?(就)?(不要了|取消了?|算了|撤了|撤回|不用了|不弄了|不提交了)",
  "(这事|这个事|这件事|那事)(就)?(算了|不管了|不用了)",
  "我?(再)?观察(几天|一下|一段时间)|(先)?看看(情况)?再说|(等|等我)[^，。？?]{0,12}(再说|再看)|先不急|暂时不用了?|(以后|回头)有需要再(找你|说)",
  "我?(再|先|还是)?(自己|跟物业|和物业|找物业)[^，。？?]{0,6}(处理|沟通沟通|沟通|协商|商量商量|商量|解决|说说|去说|说吧|说去|谈谈)(一下)?",
  "(我|俺)?(再|先|还是)*去?(找|跟|和)(那边|这边|我们|俺们|小区)?的?(物业|街道|社区|业委会|居委会|网格员)[^，。？?]{0,4}(说说|问问|反映|沟通|商量|谈谈)(一下)?(吧|去)?",
  "懒得(弄|管|报|投诉|登记|搞|整|折腾|费劲|操心)了?",
  "我?(改主意|变卦)了?",
  "没(有)?必要(投诉|登记|弄)?了?|不想(惹事|闹大|把事情?闹大|得罪人)|(我)?不想把事情?闹大|放弃(吧|了)?|不用你管了?",
  "(这个|这件|这次)?(就)?先?不(提交|投诉|登记|报)了",
  "(ok|okay)?\\s*不用了|no,? thanks?|cancel|never ?mind|forget it",
].join("|");
/** Words a resident starts with before leaving: 那就, 好吧, 我还是 … and a pause (等等). */
const LEAD = "那|那就|哦|嗯|哎|唉|好吧|行吧|我|我还是|还是|停|中|中了|得|行|不好意思|抱歉|对不起";
const PAUSE = "等等|等一下|稍等|慢着";
const CANCEL = new RegExp(
  `^((${LEAD}|${PAUSE}|好的|我看|要不)[，,…\\s]*)*((${LEAVE_PHRASE})[啊呀哈吧嘛了。！!～~，,…\\s]*)+(谢谢|谢了|多谢)?[啊呀你您了。！!～~]*$`,
  "i",
);
const CONFIRM_WORD =
  "yes|ok|okay|submit|confirm|你看着办吧?|看着办吧?|就这么办|就这样办|没意见|就按这个|按这个来|确认|确定|提交|确认提交|对|对的|没问题|是的|是|好|好的|可以|行|ok|嗯|嗯嗯|没错|提交吧|确认无误|没错了|对了|中|中中|中了|妥|妥了|没毛病|就这样|就这吧|可以了|行了|好嘞|得嘞|成|发吧|交吧|登记吧|确认了|对着哩|是哩|中嘞|报吧|报了吧|就这|就这报吧|就这么报|这么报|弄吧|整吧|办吧|交了吧|递上去|递吧|交上去|报上去|提上去|送上去|go ahead|send it|file it";
const CONFIRM = new RegExp(`^((${CONFIRM_WORD})[，,。.！!～~吧啊呀嘛哈\\s]*)+$`, "i");

/**
 * 嗯，内容都对，照这样交上去吧: a yes in a sentence, at the summary,
 * with nothing in it that changes, cancels or asks.
 */
const CONFIRM_IN_SENTENCE =
  /就按这个|按这个(来|办|报|交)|都没错|没啥问题|没问题|都对|确认(无误|提交)?|提交吧?|报上去|交上去|发出去|\bsubmit\b|\byes\b/i;
const CHANGES_SOMETHING =
  /不对(?!不对)|写错|说错|打错|搞错|改成|改为|改一下|换成|不是|算了|取消|(别|不必|不用|不要|无需|不需要)(再)?(交|提交|报|登记)|先别|等等|[？?]|吗/;

export function confirmsInSentence(text: string): boolean {
  return CONFIRM_IN_SENTENCE.test(text) && !CHANGES_SOMETHING.test(text);
}

/** 算了，我先自己找物业说说: leaving first, then a remark that asks nothing. */
const CANCEL_THEN = new RegExp(
  `^((${LEAD}|${PAUSE})[，,\\s]*)*(${LEAVE_PHRASE})([啊呀吧了]*(${LEAVE_PHRASE}))*[啊呀吧了，,。！!\\s]*(谢谢|谢了|多谢|谢啦)?[啊呀吧了，,。！!\\s]+([^？?吗呢]*)$`,
  "i",
);
const ASKING =
  /[？?]|吗|呢|([\u4e00-\u9fa5])不\1|怎么|咋|如何|能不能|可不可以|是否|多少|哪|想问|请问|问一下|问下|想知道|请教|咨询|谁|什么|啥|到底|有没有/;

/** 算了不报了，这事我该去问哪儿: leaving, then a question that is still to be answered. */
const LEAVE_THEN_ASK = new RegExp(
  `^((${LEAD})[，,\\s]*)*((${LEAVE_PHRASE})[啊呀吧了]*)+[，,。！!\\s]+(.+)$`,
);

/** The question asked after leaving the complaint, or undefined when the message only leaves. */
export function questionAfterLeaving(text: string): string | undefined {
  const rest = text.trim().match(LEAVE_THEN_ASK)?.at(-1);
  return rest && ASKING.test(rest) ? rest : undefined;
}

/** 修好了 那就不报了: what happened since, then the resident drops the complaint. */
const DROPPED_AT_END =
  /(不|别)(用|要|想|必|需要)?(再)?(投诉|登记|投|报|反映|提交)了[啊呀吧。！!～~，,\s]*(谢谢你?|谢了|多谢)?[啊呀。！!～~\s]*$|(?<![少多错漏白计清划合])算了吧?[。！!～~\s]*$|(修好|弄好|解决|处理好)了[^？?]{0,6}(不用|不需要)了[。！!～~\s]*$|(不需要|不用)(再)?(登记|投诉|提交|反映)了[。！!～~\s]*$|^(问题|事情|这事|这个事)?(已经|都)(协商)?(解决|处理好|修好|弄好)了[。！!～~\s]*$|^(好了|行了)?[，,\s]*(物业)?(已经|刚刚?|都)(来人)?(修好|弄好|解决|处理好|来人修)了[啊呀吧。！!～~\s]*$/;
/** 没啥用, 说了也白说: a remark after leaving, not a question. */
const REMARK = /没啥用|有啥用|没什么用|有什么用|说了也白说|白搭|没意思/g;
const ENGLISH_LEAVE =
  /\b(never ?mind|cancel (it|that|this|the complaint|my complaint)|forget (it|about it)|don'?t (file|submit|send) it|no need (to file|anymore))\b|\b(don'?t|do not) (want to |need to )?(file|submit|send|report|lodge|pursue|continue)\b|\b(changed|change) my mind\b|\bno need to (file|submit|report|send|register)\b|\blet'?s not (file|report|submit|complain)\b|\bi'?ll (deal with|handle|sort out|take care of|settle) (it|this|that)( myself)?\b|^(drop it|stop|cancel please|please cancel)\b|\b(rather|prefer) not (to )?(complain|file|report|submit)\b/i;

const RETELLS = /重新(说|讲|报|登记|投诉|来)|再(说|报|登记)一(遍|次|回)|换个(事|问题)/;

/** Question words no way of leaving contains: a message with one is not left by CANCEL or CANCEL_THEN. */
const ASKS_SOMETHING = /怎么|什么|多少|哪|谁|如何|是否|咋/;

/** 请把刚才那条登记作废 / 撤回吧: asking in so many words for the draft to go. */
const WITHDRAW_CLAUSE =
  /^(请|麻烦|帮我|给我|你|您|就)*(把)?(这份|这个|这条|这次|此|本|刚才的?|我的|那份)?(投诉|登记|草稿|反映|工单|申请)*(先|就)?(给)?(取消|撤回|撤销|作废|删除|删掉|撤掉|撤)(掉|了|吧)*(这份|这个|这条|这次|此|本|刚才的?|我的)?的?(投诉|登记|草稿|反映|工单|申请)*(吧|了|即可)?$/;
/** 跟邻居商量过了决定这事就不报了 / 我暂时不投诉: the resident decides not to go on. */
const DECIDED_NOT_CLAUSE =
  /(我|俺|决定|打算|考虑|商量|想了想|还是|此事|这件事|这事|这个)[^，。？?]{0,6}(先|暂|暂时|就|还是)?(不|不再|无需|不必|不用|没必要)(再|重复)?(提交|投诉|登记|反映|上报|报|继续|追究)(了|吧|啦)?$/;
/** 帮我报上去 / 我想投诉: a clause that asks to file, whatever follows it. */
const REQUEST_TO_FILE = /(帮我|给我|我要|我想|还是要?)(投诉|登记|反映|提交|报上去)/;
/** The polite clauses around leaving: 经过考虑, 抱歉, 谢谢. */
const POLITE_CLAUSE =
  /^(经过|经)?(慎重|再三|仔细)?(考虑|想了想|思考|商量)(之?后|一下|再三|过了?)?$|^(抱歉|很抱歉|不好意思|对不起|谢谢(你|您)?(啊|了|哈|啦)?(费心|操心)?了?|谢(啦|了)|多谢|辛苦(了|你了|您了)?|麻烦(你|您)?了|打扰了|让你费心了|好的|(好|行|中|那)吧|嗯+|噢+|哦+|那|这样吧|算了|中|行)$/;

const leavesHere = (c: string) =>
  WITHDRAW_CLAUSE.test(c) || DECIDED_NOT_CLAUSE.test(c) || CANCEL.test(c);

/**
 * What happened since, then leaving, then thanks (刚才人来修好了，这个就不提交了，谢谢): the
 * last clause that is not a courtesy leaves. Trouble told after leaving goes on with the story.
 */
function leavesInClauses(t: string): boolean {
  if (ASKING.test(t)) return false;
  const clauses = t.split(/[，,。！!；;\s]+/).filter((c) => c !== "");
  if (clauses.length > 5) return false;
  const said = clauses.filter((c) => !POLITE_CLAUSE.test(c));
  const last = said.at(-1);
  // 匿名就行，怕得罪邻居: a detail given is going on with the complaint, whatever reason comes with it.
  const givesDetail = (c: string) =>
    REQUEST_TO_FILE.test(c) ||
    extractAnonymity(c) !== undefined ||
    extractDistrict(c) !== undefined ||
    extractCommunity(c)?.strong === true;
  return last !== undefined && leavesHere(last) && !said.some(givesDetail);
}

export function isCancel(text: string): boolean {
  const t = text.trim();
  if (leavesInClauses(t)) return true;
  // The leaving patterns are large and slow to compile; most questions never need them.
  const mayLeave = !ASKS_SOMETHING.test(t);
  if (mayLeave && CANCEL.test(t)) return true;
  if (t.length <= 40 && !ASKING.test(t) && DROPPED_AT_END.test(t)) return true;
  if (ENGLISH_LEAVE.test(t) && !/\?/.test(t)) return true;
  const m = mayLeave ? t.replace(REMARK, "").match(CANCEL_THEN) : null;
  const rest = m?.at(-1) ?? "";
  // Leaving the old draft to tell a new one (重新说, a district named) is not leaving; nor is 没事了
  // about a scare in between, followed by the estate's name the draft asked for.
  if (
    RETELLS.test(rest) ||
    extractDistrict(rest) !== undefined ||
    extractCommunity(rest)?.strong === true
  )
    return false;
  // 算了，还是登记吧 turns back to the complaint; 算了，不登记了 only says it again.
  return (
    m !== null &&
    !ASKING.test(rest) &&
    !/(?<![不别没])(要|想|帮我|给我)?(投诉|登记)(?!.*(不|别))/.test(
      rest.replace(/(不|别|不想|不要|不用)(投诉|登记)/g, ""),
    )
  );
}

/** 没问题，提交吧 / 就这样，确认: a short yes that asks nothing and corrects nothing. */
const CONFIRM_CUE = /确认|提交|就这样|没问题|没错|对的|可以了|行了|好了/;
const NOT_YET = /不|别|没有?提交|等等|等一下|先别|改|错/;

export function isConfirm(text: string): boolean {
  const t = text.trim();
  if (CONFIRM.test(t)) return true;
  return (
    t.length <= 14 &&
    CONFIRM_CUE.test(t) &&
    !NOT_YET.test(t.replace(/没问题|没错/g, "")) &&
    !ASKING.test(t)
  );
}

const FIELD_NAMES: Record<IntakeField, string> = {
  district: "所在区县",
  community: "小区名称",
  description: "发生了什么",
  contact: "联系方式（或回复「匿名」）",
};

/** One closing line after an answer, while a draft waits for the resident. */
export function pendingNote(state: IntakeState): string {
  if (state.stage === "confirming")
    return "（您的投诉已经整理好，回复「确认」提交，回复「算了」取消。）";
  const next = nextQuestion(state);
  const what = next ? FIELD_NAMES[next.field] : "确认";
  return `（您的投诉还在登记中，还差：${what}。直接回复即可，回复「算了」取消。）`;
}

/** Asks the next question, or shows the summary to confirm when nothing is missing. */
export function advance(state: IntakeState, at: string, lead = ""): DraftReply {
  const next = nextQuestion(state);
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
    segments: [{ text: lead ? `${lead}\n${body}` : body }],
    ...(kind === "complaint_confirm" ? { actions: ["confirm", "cancel"] as const } : {}),
  } as DraftReply;
}

/**
 * Opens an intake for a problem; the draft starts with what the resident
 * already said: the story (what happened) and details (where, who).
 */
export function openIntake(
  msg: ParsedMessage,
  told: { story: string[]; details?: string[] },
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
  const isPrivate = msg.chatType === "private";
  for (const t of told.story) {
    recordResidentTurn(state, t, at);
    applyDetails(state, t, { private: isPrivate, at });
    addDescription(state, t);
  }
  for (const t of told.details ?? []) {
    recordResidentTurn(state, t, at);
    applyDetails(state, t, { private: isPrivate, at });
  }
  return state;
}

/** The first intake question, with the emergency instruction first when there is danger. */
export function firstQuestion(
  state: IntakeState,
  at: string,
  emergency: boolean,
  inGroup: boolean,
): { text: string; kind: Reply["kind"] } {
  const next = advance(state, at, inGroup ? GROUP_LEAD : COLLECT_LEAD);
  const body = next.segments.map((s) => s.text).join("");
  return {
    text: emergency && !inGroup ? `${EMERGENCY_FIRST}\n${body}` : body,
    kind: next.kind,
  };
}

async function legalBasis(kb: KnowledgeBase, state: IntakeState): Promise<string[]> {
  const { draft } = state;
  const keys: string[] = [];
  const { hits } = await kb.retriever.search(draft.description, { limit: 6 });
  const top = hits[0]?.bm25 ?? 0;
  // The plan's own action is added below; other plan sections would only repeat it.
  const planDocs = new Set(Object.values(CATEGORY_PLAN_KEY).map((k) => k.split(":")[0]));
  for (const h of hits) {
    if (planDocs.has(h.unit.docId) || h.bm25 < 0.35 * top) continue;
    keys.push(h.key);
    if (keys.length === 2) break;
  }
  const planKey = draft.category ? CATEGORY_PLAN_KEY[draft.category] : undefined;
  if (planKey && kb.unit(planKey)) keys.push(planKey);
  return keys;
}

function whatHappensNext(district: District | null, number: string): string {
  const where = district ? `${district}的物业管理主管部门` : "所在区县的物业管理主管部门";
  return `已登记，投诉编号：${number}。\n接下来：工作人员会审核您的投诉，核实后转交${where}处理；处理有进展时，我会在这里告诉您。发送「进度」可随时查询。如遇紧急危险，请直接拨打 119 或 110。`;
}

/** Files the confirmed draft and tells the resident what happens next. */
export async function fileDraft(
  deps: { kb: KnowledgeBase; desk: ComplaintDesk | undefined; log: EngineLogger },
  msg: ParsedMessage,
  state: IntakeState,
): Promise<DraftReply> {
  if (!deps.desk) throw new Error("an intake was opened without a complaint desk");
  state.draft.legal_basis = await legalBasis(deps.kb, state);
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
    segments: [{ text: whatHappensNext(filed.complaint.district, filed.number) }],
    caseNumber: filed.number,
  };
}
