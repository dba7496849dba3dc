import { AsyncLocalStorage } from "node:async_hooks";
import type { CaseOrigin, CaseStatus } from "../../bot/complaint.ts";
import type { ComplaintDesk } from "../../bot/complaint-desk.ts";
import type { ConversationState, ConversationStore } from "../../bot/conversation-state.ts";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import {
  type CaseStore,
  ConversationConflictError,
  messageSourceKey,
} from "../cases/case-store.ts";
import { KeyedQueue } from "./keyed-queue.ts";
import { RateLimiter } from "./rate-limiter.ts";

/** What one message under way has read and wants to write; committed together at the end. */
interface MessageScope {
  sourceKey: string | undefined;
  reads: Map<string, number>;
  writes: Map<string, ConversationState | null>;
  /** Case statuses looked up before the engine runs (its desk asks synchronously). */
  statuses: Map<string, { status: CaseStatus; updatedAt: string } | undefined>;
}

const scopes = new AsyncLocalStorage<MessageScope>();

const CASE_NUMBER = /pds-\d{8}-\d{4}/gi;

/**
 * The engine's desk and conversation store over a CaseStore. Inside a gated message they defer
 * conversation writes to the gate's commit and file idempotently (one case per platform
 * message); outside one (terminal chat, evaluation) they go straight to the store.
 */
export function storeBindings(
  store: CaseStore,
  /** A synchronous status lookup where the store has one (SQLite), for calls outside the gate. */
  syncStatusOf?: ComplaintDesk["statusOf"],
): { desk: ComplaintDesk; conversations: ConversationStore } {
  const desk: ComplaintDesk = {
    file(input) {
      const scope = scopes.getStore();
      if (!scope) return store.file(input);
      return store.file(input, {
        ...(scope.sourceKey ? { sourceKey: scope.sourceKey } : {}),
        // Filed only if the conversation that led to the confirmation is still as it was read.
        expect: new Map(scope.reads),
      });
    },
    statusOf(number: string, origin: Pick<CaseOrigin, "platform" | "senderId">) {
      const scope = scopes.getStore();
      const key = number.toUpperCase();
      if (scope?.statuses.has(key)) return scope.statuses.get(key);
      return syncStatusOf?.(number, origin) ?? store.statusOf(number, origin);
    },
    casesOf: (origin) => store.casesOf(origin),
  };
  const conversations: ConversationStore = {
    async get(key) {
      const scope = scopes.getStore();
      if (!scope) return (await store.loadConversation(key)).state;
      if (scope.writes.has(key)) return scope.writes.get(key) ?? undefined;
      const loaded = await store.loadConversation(key);
      if (!scope.reads.has(key)) scope.reads.set(key, loaded.version);
      return loaded.state;
    },
    async set(key, state) {
      const scope = scopes.getStore();
      if (scope) scope.writes.set(key, state);
      else await store.saveConversation(key, state);
    },
    async delete(key) {
      const scope = scopes.getStore();
      if (scope) scope.writes.set(key, null);
      else await store.saveConversation(key, null);
    },
  };
  return { desk, conversations };
}

export type GateOutcome =
  | { kind: "reply"; reply: Reply; duplicate: boolean }
  | { kind: "limited"; notice: boolean };

export interface GateOptions {
  engine: Engine;
  store: CaseStore;
  logger: EngineLogger;
  /** Per sender and per group per minute; unlimited when absent. */
  perUserPerMinute?: number;
  perGroupPerMinute?: number;
  /** How often idle conversations are pruned (default 10 minutes; 0 never). */
  pruneEveryMs?: number;
}

const MAX_ATTEMPTS = 8;

/**
 * The one gate every channel's messages pass (chat platforms and the HTTP API alike):
 *
 * - rate limits per sender and per group;
 * - one message of a conversation at a time in this process (a keyed queue);
 * - across processes, optimistic concurrency: the engine runs against the conversation rows
 *   as read, and the commit (new state + the message id + its reply, one transaction) succeeds
 *   only if those rows are unchanged, else the message is handled again on the new state;
 * - exactly-once per platform message: an id already committed returns the reply it got; a
 *   crash before the commit leaves nothing but (possibly) the filed case, which the retry finds
 *   again by the message's source key instead of filing a second one.
 */
export function createMessageGate(options: GateOptions) {
  const { engine, store, logger } = options;
  const users =
    options.perUserPerMinute !== undefined
      ? new RateLimiter(options.perUserPerMinute, 60_000)
      : undefined;
  const groups =
    options.perGroupPerMinute !== undefined
      ? new RateLimiter(options.perGroupPerMinute, 60_000)
      : undefined;
  const queue = new KeyedQueue();
  const pruneEveryMs = options.pruneEveryMs ?? 10 * 60_000;
  let lastPrune = Date.now();
  let retries = 0;

  function maybePrune(): void {
    if (pruneEveryMs <= 0 || Date.now() - lastPrune < pruneEveryMs) return;
    lastPrune = Date.now();
    store.prune(new Date()).then(
      (n) => n > 0 && logger.info({ event: "conversations_pruned", rows: n }),
      (e: unknown) =>
        logger.warn({ event: "prune_failed", error: e instanceof Error ? e.message : String(e) }),
    );
  }

  async function once(message: IncomingMessage): Promise<GateOutcome> {
    const { platform, senderId, messageId } = message;
    if (messageId) {
      const earlier = await store.handledReply(platform, senderId, messageId);
      if (earlier) return { kind: "reply", reply: earlier, duplicate: true };
    }
    for (let attempt = 1; ; attempt++) {
      const scope: MessageScope = {
        sourceKey: messageId ? messageSourceKey(platform, senderId, messageId) : undefined,
        reads: new Map(),
        writes: new Map(),
        statuses: new Map(),
      };
      for (const number of new Set((message.text ?? "").match(CASE_NUMBER) ?? [])) {
        const key = number.toUpperCase();
        scope.statuses.set(key, await store.statusOf(key, { platform, senderId }));
      }
      try {
        const reply = await scopes.run(scope, () => engine.handle(message));
        await store.commitMessage({
          ...(messageId ? { message: { platform, senderId, messageId, reply } } : {}),
          reads: scope.reads,
          writes: scope.writes,
        });
        return { kind: "reply", reply, duplicate: false };
      } catch (error) {
        if (!(error instanceof ConversationConflictError)) throw error;
        // The same message may have been handled meanwhile by another process (a client retry).
        if (messageId) {
          const earlier = await store.handledReply(platform, senderId, messageId);
          if (earlier) return { kind: "reply", reply: earlier, duplicate: true };
        }
        if (attempt >= MAX_ATTEMPTS) throw error;
        retries++;
        logger.info({ event: "conversation_conflict", platform, attempt });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  return {
    async handle(message: IncomingMessage): Promise<GateOutcome> {
      const userVerdict = users?.take(`${message.platform}:${message.senderId}`) ?? "allowed";
      const groupVerdict =
        message.chatType === "group"
          ? (groups?.take(`${message.platform}:${message.conversationId}`) ?? "allowed")
          : "allowed";
      if (userVerdict !== "allowed" || groupVerdict !== "allowed") {
        return { kind: "limited", notice: userVerdict === "notice" || groupVerdict === "notice" };
      }
      maybePrune();
      // One conversation at a time, so a resident's turns are never read out of order.
      return queue.run(`${message.platform}\u0000${message.conversationId}`, () => once(message));
    },
    /** Messages handled again because another process changed their conversation meanwhile. */
    conflicts: () => retries,
    idle: () => queue.idle(),
  };
}

export type MessageGate = ReturnType<typeof createMessageGate>;
