import {
  advance,
  EMERGENCY_FIRST,
  firstQuestion,
  GROUP_HANDOFF,
  openIntake,
} from "../intake/flow.ts";
import { addDescription, applyDetails, recordResidentTurn } from "../intake/intake.ts";
import { answerQuestion } from "./answer-question.ts";
import { type Draft, type EngineContext, plain, type Turn } from "./turn.ts";

const NO_DESK =
  "这里暂时不能登记投诉。您可以拨打 12345 政务服务热线，或向所在街道办事处、区县物业管理主管部门反映。";

/** Room kept after the answer for the lead line and the first question (哪个区县, 发生了什么). */
const FIRST_QUESTION_ROOM = 120;

/** The request itself (我要投诉) says nothing of what happened: it is not the description. */
const REQUEST_ONLY =
  /^(我)?(要|想)?(投诉|举报|反映|登记)(一下)?(物业)?[。！!～~，,:：]*$|^帮我(投诉|登记|反映)(一下)?[。！!～~]*$|^.{0,6}(帮|给|替)(我|俺)?(报|登记|反映|投诉)(上去|一下|他们)?(吧)?[。！!～~]*$|^(那)?(我|俺)(要|想)(投诉|举报|反映|告)(他们|他|物业|开发商)?[。！!～~]*$/;

/**
 * Opens a complaint: an explicit request, a problem told as happening now,
 * or a yes to the offer made with the last answer. In an emergency the first
 * words are who to call. In a group, the details continue in private.
 */
export async function startComplaint(
  turn: Turn,
  ctx: EngineContext,
  opts: { emergency: boolean; story: string[]; details?: string[]; answerFirst: boolean },
): Promise<Draft> {
  const { msg, conv, at } = turn;
  if (!ctx.desk) {
    if (opts.emergency) return plain("emergency", `${EMERGENCY_FIRST}\n${NO_DESK}`);
    return answerQuestion(turn, ctx, { aboutProblem: false });
  }
  const story = opts.story.filter((t) => !REQUEST_ONLY.test(t.trim()));
  // A draft already waiting is never replaced: what is told now joins it.
  const waiting = conv.personal.intake;
  if (waiting) {
    for (const t of story) {
      recordResidentTurn(waiting, t, at);
      applyDetails(waiting, t, { private: msg.chatType === "private", at });
      addDescription(waiting, t);
    }
    if (msg.chatType === "group") return plain("complaint_question", GROUP_HANDOFF);
    return advance(waiting, at, "已补充到您正在登记的投诉里。");
  }
  const intake = openIntake(msg, { story, details: opts.details ?? [] }, at);
  if (opts.emergency && intake.draft.urgency !== "emergency") intake.draft.urgency = "emergency";
  conv.personal.intake = intake;
  delete conv.chat.offer;
  delete conv.chat.story;
  await ctx.refine?.(intake);
  ctx.log.info({
    event: "intake_opened",
    platform: msg.platform,
    chat: msg.chatType,
    category: intake.draft.category,
    urgency: intake.draft.urgency,
  });

  // What the rules say about the problem comes first (物业不能这样做，依据…), then the first
  // question; in an emergency the first words are who to call, and only then the law.
  const inGroup = msg.chatType === "group";
  const urgent = opts.emergency ? [{ text: `${EMERGENCY_FIRST}\n` }] : [];
  // Nothing told yet (您好，我住某某苑，想投诉): there is nothing to answer about.
  const asked =
    opts.answerFirst && story.length > 0 && intake.draft.description !== ""
      ? await answerQuestion(turn, ctx, {
          aboutProblem: false,
          reserve:
            (inGroup ? GROUP_HANDOFF.length + 2 : FIRST_QUESTION_ROOM) +
            (opts.emergency ? EMERGENCY_FIRST.length + 1 : 0),
        })
      : undefined;
  const answered = asked?.kind === "answer" || asked?.kind === "procedure";
  const lead = [...urgent, ...(answered ? [...asked.segments, { text: "\n\n" }] : [])];
  const citations = answered ? asked.citations : [];
  // Everything told at once: the first thing asked is to confirm the summary.
  const first = firstQuestion(intake, at, false, inGroup);
  if (inGroup) {
    return {
      // The group sees only the hand-off; what is asked (or summed up) goes to the private chat.
      kind: opts.emergency ? "emergency" : "complaint_question",
      citations,
      segments: [...lead, { text: GROUP_HANDOFF }],
      privateText: first.text,
    };
  }
  return {
    kind: opts.emergency ? "emergency" : first.kind,
    citations,
    segments: [...lead, { text: first.text }],
    ...(first.kind === "complaint_confirm" ? { actions: ["confirm", "cancel"] as const } : {}),
  };
}
