import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchResult } from "../knowledge/retriever.ts";
import { isTraditional, toSimplified } from "../knowledge/text-normalize.ts";
import { composeModelAnswer } from "./answer-model.ts";
import { composeFullText, composeOfflineAnswer } from "./answer-offline.ts";
import { STATUS_LABELS } from "./complaint.ts";
import type { ComplaintDesk } from "./complaint-desk.ts";
import { conversationKey, privateKey } from "./conversation-keys.ts";
import {
  type ConversationState,
  type ConversationStore,
  MemoryConversationStore,
} from "./conversation-state.ts";
import {
  EMPTY_MESSAGE,
  FULL_TEXT_FIRST,
  missingArticleText,
  NO_SOURCE,
  REFUSALS,
  TRUNCATED_NOTE,
  UNSUPPORTED_ATTACHMENT,
} from "./fixed-replies.ts";
import { guardInput } from "./input-guard.ts";
import { complaintSignal } from "./intake/classify.ts";
import {
  EMERGENCY_FIRST,
  firstQuestion,
  GROUP_HANDOFF,
  handleIntakeTurn,
  type IntakeDeps,
  intakeMode,
  isCancel,
  OFFER_LINE,
  openIntake,
} from "./intake/flow.ts";
import type { IntakeState } from "./intake/intake-state.ts";
import { refineWithModel } from "./intake/model-extract.ts";
import { classifyIntent } from "./intent-model.ts";
import type { LanguageModel } from "./language-model.ts";
import { type EngineLogger, silentLogger } from "./logger.ts";
import {
  type IncomingMessage,
  IncomingMessageSchema,
  type ParsedMessage,
  type Reply,
} from "./message.ts";
import type { Prompts } from "./model-prompts.ts";
import { maskPhones } from "./privacy.ts";
import { findGuide, formatGuide } from "./procedures/guides.ts";
import { computeVote, formatVote, parseVoteQuestion } from "./procedures/vote.ts";
import { DISCLAIMER, render, type Segment } from "./reply-text.ts";
import { judgeScope } from "./scope.ts";
import { smalltalkReply } from "./smalltalk.ts";

export interface EngineDeps {
  knowledge: KnowledgeBase;
  /** An OpenAI-compatible model; without it the engine answers offline. */
  model?: LanguageModel;
  prompts?: Prompts;
  /** Where confirmed complaints are filed. Without it the bot answers questions only. */
  desk?: ComplaintDesk;
  conversations?: ConversationStore;
  logger?: EngineLogger;
  now?: () => Date;
  modelTimeoutMs?: number;
}

export interface Engine {
  handle(message: IncomingMessage): Promise<Reply>;
  /** The complaint being collected in a conversation (for evaluation and tests). */
  draftFor(platform: string, senderId: string): Promise<ConversationState["intake"] | undefined>;
}

/** Asking how to do something, step by step (not 怎么办, which asks what the rule is). */
const PROCEDURE_ASK =
  /流程|步骤|程序|手续|第一步|怎么(成立|选|选举|换|申请|操作|开会|召开|组织|走)|如何(成立|选|选举|换|申请|召开|组织|使用)|咋(成立|换|申请|选|开会)|要走哪些|需要哪些(手续|步骤|材料)/;
/** How many earlier messages a complaint recognised late is read together with. */
const RECENT_KEPT = 3;
/** 进度 PDS-20261125-0001: a resident asking about their own complaint. */
const PROGRESS = /^(?:进度|查进度|查询进度|查询|投诉进度)\s*[:：]?\s*(pds-\d{8}-\d{4})$/i;
const FULL_TEXT = /^(全文|原文|看全文|查看全文|条文原文)$/;
const FOLLOW_UP = /^(那|那么|那要是|还有|另外|如果|要是)|呢[？?]?$/;

/**
 * The conversation core: one call per incoming message, a structured reply
 * back. Does no I/O of its own; everything outside is passed in.
 */
export function createEngine(deps: EngineDeps): Engine {
  const kb = deps.knowledge;
  const conversations = deps.conversations ?? new MemoryConversationStore();
  const log = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const modelDeps = (system: keyof Prompts) =>
    deps.model && deps.prompts
      ? {
          model: deps.model,
          system: deps.prompts[system],
          timeoutMs: deps.modelTimeoutMs ?? 15_000,
          log,
        }
      : undefined;
  const fieldsDeps = modelDeps("complaintSystem");
  const refine = fieldsDeps ? (s: IntakeState) => refineWithModel(s, fieldsDeps) : undefined;
  const intentDeps = modelDeps("intentSystem");
  const modelIntent = async (text: string) =>
    intentDeps ? classifyIntent(text, intentDeps) : undefined;

  const reply = (r: Omit<Reply, "text"> & { segments: Segment[] }, traditional: boolean): Reply => {
    const { segments, ...rest } = r;
    return { ...rest, text: render(segments, traditional) };
  };
  const say = (
    kind: Reply["kind"],
    text: string,
    traditional: boolean,
    extra: Partial<Reply> = {},
  ) => reply({ kind, citations: [], segments: [{ text }], ...extra }, traditional);

  async function answerQuestion(
    text: string,
    state: ConversationState,
    traditional: boolean,
  ): Promise<Reply> {
    if (FULL_TEXT.test(text.trim()) && state.lastCitations.length === 0) {
      return say("clarify", FULL_TEXT_FIRST, traditional);
    }
    if (FULL_TEXT.test(text.trim()) && state.lastCitations.length > 0) {
      const composed = composeFullText(kb, state.lastCitations);
      return reply(
        { kind: "answer", citations: composed.citations, segments: composed.segments },
        traditional,
      );
    }

    const vote = parseVoteQuestion(text);
    if (vote) {
      const key = "civil-code-2020:278";
      return say("procedure", `${formatVote(computeVote(vote))}\n${DISCLAIMER}`, traditional, {
        citations: kb.unit(key) ? [key] : [],
      });
    }
    const guide = PROCEDURE_ASK.test(text) ? findGuide(text) : undefined;
    if (guide) {
      const keys = [...new Set(guide.steps.flatMap((s) => s.cites))].filter((k) => kb.unit(k));
      state.lastCitations = keys;
      return say(
        "procedure",
        `${formatGuide(guide, (k) => kb.citation(k))}\n${DISCLAIMER}`,
        traditional,
        {
          citations: keys,
        },
      );
    }

    // A short follow-up (那业委会呢？) is read together with the question before it.
    const followUp = state.lastQuestion !== undefined && text.length <= 16 && FOLLOW_UP.test(text);
    const query = followUp ? `${state.lastQuestion} ${text}` : text;
    const contextDoc = state.lastCitations[0] ? kb.unit(state.lastCitations[0])?.docId : undefined;
    const result: SearchResult = await kb.retriever.search(query, {
      limit: 8,
      ...(contextDoc ? { contextDoc } : {}),
    });

    if (result.references.found.length === 0 && result.references.missing.length > 0) {
      const m = result.references.missing[0];
      return say("clarify", m ? missingArticleText(kb, m) : NO_SOURCE, traditional);
    }
    if (!followUp && result.references.found.length === 0) {
      const scope = judgeScope(toSimplified(query));
      // The rules turn away what they do not recognise; a model may know better.
      const intent = scope.inScope ? undefined : await modelIntent(query);
      if (!scope.inScope && intent !== "question" && intent !== "complaint") {
        return say("out_of_scope", scope.redirect, traditional);
      }
    }
    if (result.hits.length === 0) return say("out_of_scope", NO_SOURCE, traditional);

    const composed =
      (deps.model &&
        (await composeModelAnswer({
          kb,
          model: deps.model,
          prompts: deps.prompts,
          result,
          question: query,
          log,
          timeoutMs: deps.modelTimeoutMs ?? 15_000,
        }))) ||
      composeOfflineAnswer(kb, result);
    state.lastQuestion = query;
    state.lastCitations = composed.citations;
    return reply(
      { kind: "answer", citations: composed.citations, segments: composed.segments },
      traditional,
    );
  }

  /** Only the resident who filed a case can read its status, and only its status. */
  function caseProgress(number: string, msg: ParsedMessage): string {
    const status = deps.desk?.statusOf?.(number, {
      platform: msg.platform,
      senderId: msg.senderId,
    });
    if (!status)
      return `没有找到您提交的编号为 ${number} 的投诉。请核对编号；投诉只能由提交人本人查询。`;
    return `您的投诉（编号 ${number}）目前的状态：${STATUS_LABELS[status.status]}（更新于 ${status.updatedAt.slice(0, 10)}）。有新进展时我会主动告诉您。`;
  }

  /** The reply that opens an intake: the answer (if any), then the offer or the first question. */
  function openingReply(
    intake: IntakeState,
    chatType: ParsedMessage["chatType"],
    mode: { mode: "collect" | "offer"; emergency: boolean },
    answer: Reply | undefined,
    at: string,
    traditional: boolean,
  ): Reply {
    const lead = answer ? `${answer.text}\n\n` : "";
    const citations = answer?.citations ?? [];
    const own = (t: string) => render([{ text: t }], traditional);
    if (mode.mode === "offer")
      return { kind: "answer", citations, text: `${lead}${own(OFFER_LINE)}` };
    const kind = mode.emergency ? "emergency" : "complaint_question";
    if (chatType === "group") {
      const groupLine = mode.emergency ? `${EMERGENCY_FIRST}\n${GROUP_HANDOFF}` : GROUP_HANDOFF;
      return {
        kind,
        citations,
        text: `${lead}${own(groupLine)}`,
        privateText: own(firstQuestion(intake, at, mode.emergency, true)),
      };
    }
    return {
      kind,
      citations,
      text: `${lead}${own(firstQuestion(intake, at, mode.emergency, false))}`,
    };
  }

  async function handle(incoming: IncomingMessage): Promise<Reply> {
    const parsed = IncomingMessageSchema.safeParse(incoming);
    if (!parsed.success) return say("clarify", EMPTY_MESSAGE, false);
    const msg = parsed.data;
    const at = now().toISOString();
    const key = conversationKey(msg);
    const state: ConversationState = (await conversations.get(key)) ?? {
      lastCitations: [],
      updatedAt: Date.now(),
    };
    const personal: ConversationState =
      msg.chatType === "private"
        ? state
        : ((await conversations.get(privateKey(msg))) ?? {
            lastCitations: [],
            updatedAt: Date.now(),
          });

    const intakeDeps: IntakeDeps = { kb, desk: deps.desk, now, log, ...(refine ? { refine } : {}) };
    try {
      // An attachment during an intake is evidence; otherwise a calm note that only text is read.
      if (msg.text.trim() === "" && msg.attachment) {
        if (msg.chatType === "private" && state.intake) {
          const evidenceReply = await handleIntakeTurn(intakeDeps, msg, state, "", at);
          if (evidenceReply) return reply(evidenceReply, false);
        }
        return say("unsupported", UNSUPPORTED_ATTACHMENT, false);
      }

      const verdict = guardInput(msg.text);
      if (verdict.kind === "empty") return say("clarify", EMPTY_MESSAGE, false);
      if (verdict.kind === "placeholder") return say("unsupported", UNSUPPORTED_ATTACHMENT, false);
      if (verdict.kind !== "ok") {
        log.info(
          { event: "refused", reason: verdict.kind, platform: msg.platform },
          "declined a request",
        );
        return say("refused", REFUSALS[verdict.kind], isTraditional(msg.text));
      }
      const traditional = isTraditional(verdict.text);
      const text = toSimplified(verdict.text);

      if (msg.chatType === "private" && state.intake) {
        const intakeReply = await handleIntakeTurn(intakeDeps, msg, state, text, at);
        if (intakeReply) return reply(intakeReply, traditional);
      }
      if (isCancel(text) && personal.intake && msg.chatType === "group") {
        personal.intake = undefined;
        await conversations.set(privateKey(msg), personal);
        return say("complaint_cancelled", "好的，已取消登记。", traditional);
      }
      const progress = PROGRESS.exec(text.trim());
      if (progress?.[1])
        return say("answer", caseProgress(progress[1].toUpperCase(), msg), traditional);
      const small = smalltalkReply(text);
      if (small) return say("smalltalk", small, traditional);

      const recent = state.recent ?? [];
      state.recent = [...recent, msg.chatType === "private" ? text : maskPhones(text)].slice(
        -RECENT_KEPT,
      );
      const ruled = deps.desk ? intakeMode(text, recent) : undefined;
      // A problem the rules only half recognise: ask the model, when there is one.
      const unsure = deps.desk && !ruled && complaintSignal(text).score >= 2;
      const intake =
        ruled ??
        (unsure && (await modelIntent(text)) === "complaint"
          ? { mode: "collect" as const, emergency: false, withRecent: recent.length > 0 }
          : undefined);
      // In an emergency the first thing said is to call for help, not the law.
      const answer = intake?.emergency ? undefined : await answerQuestion(text, state, traditional);
      const answered = answer?.kind === "answer" || answer?.kind === "procedure";
      const withNote = (r: Reply): Reply =>
        verdict.truncated ? { ...r, text: `${TRUNCATED_NOTE}\n${r.text}`, truncated: true } : r;
      if (!intake || (intake.mode === "offer" && !answered)) return withNote(answer as Reply);

      personal.intake = openIntake(
        msg,
        intake.withRecent ? [...recent, text] : [text],
        intake.mode,
        at,
      );
      state.recent = [];
      await refine?.(personal.intake);
      log.info({
        event: "intake_opened",
        mode: intake.mode,
        platform: msg.platform,
        chat: msg.chatType,
        category: personal.intake.draft.category,
        urgency: personal.intake.draft.urgency,
      });
      const opened = openingReply(
        personal.intake,
        msg.chatType,
        intake,
        answered ? answer : undefined,
        at,
        traditional,
      );
      // Saved only now, after the first question is recorded, so a persistent store keeps it.
      if (personal !== state) {
        await conversations.set(privateKey(msg), { ...personal, updatedAt: Date.now() });
      }
      return withNote(opened);
    } finally {
      state.updatedAt = Date.now();
      await conversations.set(key, state);
    }
  }

  return {
    handle,
    async draftFor(platform, senderId) {
      return (await conversations.get(privateKey({ platform, senderId })))?.intake;
    },
  };
}
