import type {
  CaseOrigin,
  CaseStatus,
  Complaint,
  FiledCase,
  TranscriptLine,
} from "../../bot/complaint.ts";
import type { ConversationState } from "../../bot/conversation-state.ts";
import type { Reply } from "../../bot/message.ts";

export interface OutboxEntry {
  id: number;
  caseId: string;
  backend: string;
  idempotencyKey: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  remoteId: string | null;
  token: string | null;
  createdAt: string;
  /** How often a worker claimed it; more than attempts + 1 means a claimer died mid-send. */
  claims: number;
}

export interface Notification {
  id: number;
  caseId: string;
  platform: string;
  conversationId: string;
  text: string;
}

export interface StatusChange {
  status: CaseStatus;
  note?: string;
  actor: string;
  source: "staff" | "backend" | "bot";
  /** A backend's update id; the same update is applied once however often it is fetched. */
  remoteUpdateId?: string;
  /** Tell the resident (default true). */
  notify?: boolean;
}

export interface FileInput {
  complaint: Complaint;
  origin: CaseOrigin;
  transcript: TranscriptLine[];
}

/** A conversation row as read: the state and the version a later write must still find. */
export interface StoredConversation {
  state: ConversationState | undefined;
  /** 0 when the row does not exist. */
  version: number;
}

/** What one handled message leaves behind, committed in one transaction. */
export interface MessageCommit {
  /** The platform message (scoped to platform and sender) and the reply it got; absent without an id. */
  message?: { platform: string; senderId: string; messageId: string; reply: Reply };
  /** Every conversation row read, with the version it had: a changed one aborts the commit. */
  reads: Map<string, number>;
  /** Rows to write (null deletes). */
  writes: Map<string, ConversationState | null>;
}

/** The database is busy (a lock held elsewhere) or unreachable: fail the request fast, retry later. */
export class StoreBusyError extends Error {
  constructor(message = "casebook busy") {
    super(message);
    this.name = "StoreBusyError";
  }
}

/** Another process changed a conversation this message read: handle the message again. */
export class ConversationConflictError extends Error {
  constructor() {
    super("conversation changed concurrently");
    this.name = "ConversationConflictError";
  }
}

/** The bump in a conversation row's shape; rows of another version are dropped when read. */
export const CONVERSATION_SCHEMA_VERSION = 1;

/** Idle conversations without a complaint in progress are forgotten after this long. */
export const IDLE_CONVERSATION_MS = 6 * 60 * 60 * 1000;
/** A complaint left half-told is kept this long. */
export const IDLE_INTAKE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Everything the bot processes keep in the shared database: the casebook,
 * the delivery outbox, notifications, conversation state and handled message
 * ids. Two implementations: SQLite (embedded default) and PostgreSQL (when
 * DATABASE_URL is set). Every method may throw StoreBusyError.
 */
export interface CaseStore {
  readonly kind: "sqlite" | "postgres";
  /** Backends every filed case is queued for. */
  readonly backends: readonly string[];

  /**
   * Files a case with its outbox entries in one transaction. With `sourceKey` the filing is
   * idempotent (the same key returns the case already filed); with `expect` it happens only if
   * those conversation rows still have those versions (else ConversationConflictError).
   */
  file(
    input: FileInput,
    options?: { sourceKey?: string; expect?: Map<string, number> },
  ): Promise<FiledCase>;
  get(id: string): Promise<FiledCase | undefined>;
  byNumber(number: string): Promise<FiledCase | undefined>;
  statusOf(
    number: string,
    origin: Pick<CaseOrigin, "platform" | "senderId">,
  ): Promise<{ status: CaseStatus; updatedAt: string } | undefined>;
  /** This resident's cases, newest first (progress asked without a number). */
  casesOf(
    origin: Pick<CaseOrigin, "platform" | "senderId">,
  ): Promise<{ number: string; status: CaseStatus; updatedAt: string }[]>;
  changeStatus(caseId: string, change: StatusChange): Promise<boolean>;
  /** Marks the case forwarded if it is still new (the first backend to accept it). */
  markForwardedIfNew(caseId: string, backend: string): Promise<void>;

  pendingNotifications(platform?: string): Promise<Notification[]>;
  markNotified(id: number): Promise<void>;

  /**
   * Claims up to `limit` due pending entries for `owner` until `leaseMs` from now. An entry is
   * claimed by one worker at a time; an expired lease (a dead claimer) can be claimed again.
   */
  claimDeliveries(
    owner: string,
    limit: number,
    leaseMs: number,
    asOf: Date,
  ): Promise<OutboxEntry[]>;
  /** The following mark* calls apply only while `owner` holds the lease; false otherwise. */
  markDelivered(
    id: number,
    owner: string,
    result: { remoteId?: string; token?: string },
  ): Promise<boolean>;
  markRetry(id: number, owner: string, reason: string, nextAttemptAt: Date): Promise<boolean>;
  markFailed(id: number, owner: string, reason: string): Promise<boolean>;
  /** Moves a claimed entry's first attempt later without counting an attempt, and releases it. */
  deferDelivery(id: number, owner: string, until: Date): Promise<void>;
  /** Gives a claim back unsent (a backend no longer configured). */
  releaseClaim(id: number, owner: string): Promise<void>;
  outboxFor(caseId: string): Promise<OutboxEntry[]>;
  awaitingToken(): Promise<OutboxEntry[]>;
  caseIdByRemoteId(backend: string, remoteId: string): Promise<string | undefined>;
  setRemoteId(id: number, remoteId: string): Promise<void>;
  enqueue(caseId: string, backend: string): Promise<OutboxEntry>;

  loadConversation(key: string): Promise<StoredConversation>;
  /** Plain write outside a gated message (terminal chat, tests). */
  saveConversation(key: string, state: ConversationState | null): Promise<void>;
  /** The reply a platform message already got, if it was handled. */
  handledReply(platform: string, senderId: string, messageId: string): Promise<Reply | undefined>;
  /** Commits a handled message; throws ConversationConflictError when a read row changed. */
  commitMessage(commit: MessageCommit): Promise<void>;
  /** Forgets idle conversations and old message ids; returns how many rows went. */
  prune(now: Date): Promise<number>;

  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Parses a stored conversation row; anything of another shape or version counts as absent. */
export function readConversation(
  json: string,
  schemaVersion: number,
): ConversationState | undefined {
  if (schemaVersion !== CONVERSATION_SCHEMA_VERSION) return undefined;
  try {
    const state = JSON.parse(json) as Partial<ConversationState> | null;
    if (
      !state ||
      typeof state !== "object" ||
      !Array.isArray(state.lastCitations) ||
      !state.lastCitations.every((c) => typeof c === "string") ||
      typeof state.updatedAt !== "number" ||
      (state.lastQuestion !== undefined && typeof state.lastQuestion !== "string") ||
      (state.intake !== undefined && (typeof state.intake !== "object" || state.intake === null))
    ) {
      return undefined;
    }
    return state as ConversationState;
  } catch {
    return undefined;
  }
}

/** Idempotency of filing: one case per platform message. */
export function messageSourceKey(platform: string, senderId: string, messageId: string): string {
  return JSON.stringify([platform, senderId, messageId]);
}
