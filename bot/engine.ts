import { type CardIndex, createCardIndex } from "../knowledge/cards.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { cardParts } from "./answer-card.ts";
import type { AnswerParts } from "./answer-parts.ts";
import type { ComplaintDesk } from "./complaint-desk.ts";
import { Conversation } from "./conversation.ts";
import { privateKey } from "./conversation-keys.ts";
import {
  type ConversationState,
  type ConversationStore,
  MemoryConversationStore,
  readStoredState,
} from "./conversation-state.ts";
import { englishLead } from "./english.ts";
import { EMPTY_MESSAGE, TRUNCATED_NOTE } from "./fixed-replies.ts";
import { refineWithModel } from "./intake/model-extract.ts";
import { classifyIntent } from "./intent-model.ts";
import type { LanguageModel } from "./language-model.ts";
import { type EngineLogger, silentLogger } from "./logger.ts";
import { type IncomingMessage, IncomingMessageSchema, type Reply } from "./message.ts";
import type { Prompts } from "./model-prompts.ts";
import { pendingStep } from "./pipeline/pending-step.ts";
import { readMessage } from "./pipeline/read-message.ts";
import { route } from "./pipeline/route.ts";
import type { Draft, EngineContext, Handler, Turn } from "./pipeline/turn.ts";
import { render } from "./reply-text.ts";

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
  /** Longest reply posted in a group (default 300); the rest is one word away. */
  groupMaxChars?: number;
  /** Longest reply in a private chat (default 800). */
  privateMaxChars?: number;
  /** Reviewed answer cards; by default the ones shipped under knowledge/cards/. */
  cards?: CardIndex;
  /** One question, one answer (npm run ask): replies invite no follow-up the resident cannot send. */
  oneShot?: boolean;
  /** The input guard; switched off only to prove the adversarial metric measures it. */
  guard?: boolean;
}

export interface Engine {
  handle(message: IncomingMessage): Promise<Reply>;
  /** The complaint being collected in a conversation (for evaluation and tests). */
  draftFor(platform: string, senderId: string): Promise<ConversationState["intake"] | undefined>;
}

/** One card index per knowledge base: building it checks every quote against the sources. */
const cardIndexes = new WeakMap<KnowledgeBase, CardIndex>();
function shippedCards(kb: KnowledgeBase): CardIndex {
  let index = cardIndexes.get(kb);
  if (!index) {
    index = createCardIndex(kb);
    cardIndexes.set(kb, index);
  }
  return index;
}

/** guard → pending step → intent → handler: the first step that replies ends the message's journey. */
const PIPELINE: Handler[] = [pendingStep, route];

/**
 * The conversation core: one call per incoming message, a structured reply
 * back. Does no I/O of its own; everything outside is passed in.
 */
export function createEngine(deps: EngineDeps): Engine {
  const conversations = deps.conversations ?? new MemoryConversationStore();
  const log = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const modelTimeoutMs = deps.modelTimeoutMs ?? 15_000;
  const cards = deps.cards ?? shippedCards(deps.knowledge);
  const modelDeps = (system: keyof Prompts) =>
    deps.model && deps.prompts
      ? { model: deps.model, system: deps.prompts[system], timeoutMs: modelTimeoutMs, log }
      : undefined;
  const fieldsDeps = modelDeps("complaintSystem");
  const intentDeps = modelDeps("intentSystem");
  const ctx: EngineContext = {
    kb: deps.knowledge,
    desk: deps.desk,
    log,
    now,
    modelTimeoutMs,
    groupMaxChars: deps.groupMaxChars ?? 300,
    privateMaxChars: deps.privateMaxChars ?? 800,
    oneShot: deps.oneShot ?? false,
    modelIntent: async (text) => (intentDeps ? classifyIntent(text, intentDeps) : undefined),
    ...(deps.model ? { model: deps.model } : {}),
    ...(deps.prompts ? { prompts: deps.prompts } : {}),
    cardParts: (query, result, scale) => {
      const match = cards.match(query, result.hits);
      return match ? cardParts(match.card, deps.knowledge, result, scale) : undefined;
    },
    ...(fieldsDeps ? { refine: (s) => refineWithModel(s, fieldsDeps) } : {}),
  };

  function finish(turn: Turn | undefined, draft: Draft): Reply {
    const { segments, ...rest } = draft;
    const traditional = turn?.traditional ?? false;
    const before = [
      ...(turn?.truncated ? [TRUNCATED_NOTE] : []),
      // In danger, the numbers to call come before anything else, in the resident's language.
      ...(turn?.english ? [englishLead(draft.kind, segments[0]?.text)] : []),
    ];
    const after = turn?.pendingNote && draft.kind !== "complaint_cancelled" ? turn.pendingNote : "";
    const body = render(segments, traditional);
    const text = [...before, body, ...(after ? [render([{ text: after }], traditional)] : [])].join(
      "\n",
    );
    const privateText =
      rest.privateText !== undefined
        ? render([{ text: rest.privateText }], traditional)
        : undefined;
    return {
      ...rest,
      text,
      ...(privateText !== undefined ? { privateText } : {}),
      ...(turn?.truncated ? { truncated: true } : {}),
    };
  }

  async function handle(incoming: IncomingMessage): Promise<Reply> {
    const parsed = IncomingMessageSchema.safeParse(incoming);
    if (!parsed.success)
      return { kind: "clarify", text: EMPTY_MESSAGE, citations: [] } satisfies Reply;
    const msg = parsed.data;
    const conv = await Conversation.load(conversations, msg, now().getTime());
    const read = readMessage(msg, conv, ctx, { guard: deps.guard ?? true });
    if (!("conv" in read)) return finish(undefined, read);
    try {
      for (const step of PIPELINE) {
        const draft = await step(read, ctx);
        if (draft) return finish(read, draft);
      }
      throw new Error("the pipeline ended without a reply");
    } finally {
      await conv.save(now().getTime());
    }
  }

  return {
    handle,
    async draftFor(platform, senderId) {
      return readStoredState(await conversations.get(privateKey({ platform, senderId })))?.intake;
    },
  };
}

export type { AnswerParts };
