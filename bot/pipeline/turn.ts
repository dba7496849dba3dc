import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import type { SearchResult } from "../../knowledge/retriever.ts";
import type { AnswerParts } from "../answer-parts.ts";
import type { ComplaintDesk } from "../complaint-desk.ts";
import type { Conversation } from "../conversation.ts";
import type { IntakeState } from "../intake/intake-state.ts";
import type { Intent } from "../intent-model.ts";
import type { LanguageModel } from "../language-model.ts";
import type { EngineLogger } from "../logger.ts";
import type { ParsedMessage, Reply } from "../message.ts";
import type { Prompts } from "../model-prompts.ts";
import type { Segment } from "../reply-text.ts";

/** A reply before it is rendered: the bot's own words follow the resident's script, quotes never do. */
export type Draft = Omit<Reply, "text"> & { segments: Segment[] };

/** One incoming message on its way through the pipeline. */
export interface Turn {
  msg: ParsedMessage;
  conv: Conversation;
  /** The injected clock's time for this message. */
  at: string;
  /** The message as read: guarded, clipped, in Simplified characters. */
  text: string;
  traditional: boolean;
  /** Written in English: the reply says so in English first. */
  english: boolean;
  truncated: boolean;
  /** An image or file sent with no text, or a chat app's [图片] placeholder: evidence during a complaint. */
  attachment?: ParsedMessage["attachment"];
  /** Set when a complaint draft is waiting: one closing line after whatever answers this message. */
  pendingNote?: string;
  /** What the resident told before asking (a complaint left just now): the question is about it. */
  about?: string;
}

/** What every handler may use; all I/O is behind these. */
export interface EngineContext {
  kb: KnowledgeBase;
  desk: ComplaintDesk | undefined;
  log: EngineLogger;
  now: () => Date;
  model?: LanguageModel;
  prompts?: Prompts;
  modelTimeoutMs: number;
  /** Longest reply posted in a group; the rest is one word (「详细」) away. */
  groupMaxChars: number;
  privateMaxChars: number;
  /** One question, one answer (npm run ask): nothing that invites a reply. */
  oneShot: boolean;
  /** A second opinion on intent from the model, when one is configured. */
  modelIntent: (text: string) => Promise<Intent | undefined>;
  /** A reviewed answer card for the question, as answer parts, when one fits. */
  cardParts?: (query: string, result: SearchResult, scale?: number) => AnswerParts | undefined;
  /** Reads the complaint fields the rules missed, when a model is configured. */
  refine?: (state: IntakeState) => Promise<void>;
}

/** A step of the pipeline: a reply ends the message's journey, undefined passes it on. */
export type Handler = (turn: Turn, ctx: EngineContext) => Promise<Draft | undefined>;

export function plain(kind: Reply["kind"], text: string, extra: Partial<Draft> = {}): Draft {
  return { kind, citations: [], segments: [{ text }], ...extra };
}
