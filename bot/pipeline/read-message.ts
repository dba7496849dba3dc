import { isTraditional, toSimplified } from "../../knowledge/text-normalize.ts";
import type { Conversation } from "../conversation.ts";
import {
  EMPTY_MESSAGE,
  REFUSALS,
  UNSUPPORTED_ATTACHMENT,
  unknownSourceText,
} from "../fixed-replies.ts";
import { guardInput, MAX_MESSAGE_CHARS } from "../input-guard.ts";
import type { ParsedMessage } from "../message.ts";
import { type Draft, type EngineContext, plain, type Turn } from "./turn.ts";

/** Mostly Latin letters and no more than a stray Chinese character: the resident wrote in English. */
function fixTypos(ctx: EngineContext, text: string): string {
  return ctx.kb.retriever.parts.fixTypos?.(text) ?? text;
}

export function writtenInEnglish(text: string): boolean {
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  return letters >= 8 && han <= 2 && /[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(text);
}

/** Asking what a document says, or to confirm it. */
const ABOUT_CONTENT =
  /第.{1,8}条|规定|确认|证实|核实|说了|写着|写的|内容|文件|通知|解释|允许|禁止|属实|真的吗|是真的/;

/** @物业助手 (and WeChat's four-per-em space after it) addresses the bot; it is not part of the question. */
function withoutMentions(text: string): string {
  return text.replace(/(^|[\s\u2005])@[^\s@\u2005]{1,24}(?=[\s\u2005]|$)/g, "$1").trim();
}

/**
 * The guard: the first look at every message. Empty, placeholder and
 * declined messages end here; everything else becomes a Turn. Declined
 * messages never reach retrieval or a model.
 */
export function readMessage(
  msg: ParsedMessage,
  conv: Conversation,
  ctx: EngineContext,
  options: { guard: boolean },
): Turn | Draft {
  const at = ctx.now().toISOString();
  const base = { msg, conv, at, traditional: false, english: false, truncated: false };
  if (msg.text.trim() === "" && msg.attachment) {
    // An attachment may be evidence for a complaint being told; the pending step decides.
    if (conv.personal.intake && msg.chatType === "private")
      return { ...base, text: "", attachment: msg.attachment };
    return plain("unsupported", UNSUPPORTED_ATTACHMENT);
  }
  const guarded = guardInput(withoutMentions(msg.text));
  // Switching the guard off (to prove the adversarial metric measures it) lets declined requests through.
  const verdict =
    options.guard ||
    guarded.kind === "ok" ||
    guarded.kind === "empty" ||
    guarded.kind === "placeholder"
      ? guarded
      : {
          kind: "ok" as const,
          text: msg.text.trim().slice(0, MAX_MESSAGE_CHARS),
          truncated: false,
        };
  if (verdict.kind === "empty") return plain("clarify", EMPTY_MESSAGE);
  if (verdict.kind === "placeholder") {
    // [图片] from a text-only bridge during a complaint is still the photo the resident means to add.
    const kind = /\[(图片|照片|视频)\]/.test(msg.text) ? ("image" as const) : undefined;
    if (kind && conv.personal.intake && msg.chatType === "private")
      return { ...base, text: "", attachment: { kind } };
    return plain("unsupported", UNSUPPORTED_ATTACHMENT);
  }
  if (verdict.kind !== "ok") {
    ctx.log.info(
      { event: "refused", reason: verdict.kind, platform: msg.platform },
      "declined a request",
    );
    return plain("refused", REFUSALS[verdict.kind]);
  }
  // Asked what an unheld document says (or to confirm it): nothing may be said of it.
  if (options.guard && ABOUT_CONTENT.test(verdict.text)) {
    const unknown = ctx.kb.retriever.parts.resolve(toSimplified(verdict.text)).unknown;
    if (unknown.length > 0) return plain("out_of_scope", unknownSourceText(ctx.kb, unknown));
  }
  // A one-word reply (Confirm., Yes) in a conversation held in English is English too.
  const han = verdict.text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const letters = verdict.text.match(/[A-Za-z]/g)?.length ?? 0;
  const english =
    writtenInEnglish(verdict.text) || (conv.chat.english === true && han === 0 && letters >= 2);
  // A Chinese name inside an English sentence does not change the language of the conversation.
  if (english || (letters > 2 * han && letters >= 8)) conv.chat.english = true;
  else if (han > 0) delete conv.chat.english;
  return {
    ...base,
    // 维修资今, 业委汇: the reviewed typo list is applied before anything reads the message.
    text: fixTypos(ctx, toSimplified(verdict.text)),
    traditional: isTraditional(verdict.text),
    english,
    truncated: verdict.truncated,
  };
}
