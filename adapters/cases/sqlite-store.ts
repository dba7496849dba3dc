import type { CaseOrigin, FiledCase } from "../../bot/complaint.ts";
import type { ConversationState } from "../../bot/conversation-state.ts";
import type { Reply } from "../../bot/message.ts";
import {
  type CaseStore,
  type FileInput,
  IDLE_CONVERSATION_MS,
  IDLE_INTAKE_MS,
  type MessageCommit,
  type Notification,
  type OutboxEntry,
  type StatusChange,
  StoreBusyError,
  type StoredConversation,
} from "./case-store.ts";
import type { Casebook } from "./casebook.ts";

/** How long a request keeps retrying a locked casebook before it is answered 503. */
export const SQLITE_BUSY_BUDGET_MS = 500;
/** Handled message ids are kept this long (platforms redeliver within minutes, clients within hours). */
export const HANDLED_MESSAGES_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "SQLITE_LOCKED");
}

/**
 * The CaseStore on the embedded SQLite casebook. better-sqlite3 is synchronous, so a statement
 * waiting for another process's write lock would stall the whole event loop: the file is opened
 * with a short busy timeout and a busy statement is retried here after a timer, so other
 * requests (and /healthz) go on meanwhile; past the budget the caller gets StoreBusyError.
 */
export class SqliteCaseStore implements CaseStore {
  readonly kind = "sqlite" as const;

  constructor(
    readonly casebook: Casebook,
    private readonly budgetMs = SQLITE_BUSY_BUDGET_MS,
  ) {}

  get backends(): readonly string[] {
    return this.casebook.backends;
  }

  private async run<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + this.budgetMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        return fn();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (Date.now() + wait > deadline) throw new StoreBusyError();
        await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
      }
    }
  }

  file(
    input: FileInput,
    options?: { sourceKey?: string; expect?: Map<string, number> },
  ): Promise<FiledCase> {
    return this.run(() => this.casebook.file(input, options));
  }
  get(id: string) {
    return this.run(() => this.casebook.get(id));
  }
  byNumber(number: string) {
    return this.run(() => this.casebook.byNumber(number));
  }
  statusOf(number: string, origin: Pick<CaseOrigin, "platform" | "senderId">) {
    return this.run(() => this.casebook.statusOf(number, origin));
  }
  casesOf(origin: Pick<CaseOrigin, "platform" | "senderId">) {
    return this.run(() => this.casebook.casesOf(origin));
  }
  changeStatus(caseId: string, change: StatusChange) {
    return this.run(() => this.casebook.changeStatus(caseId, change));
  }
  markForwardedIfNew(caseId: string, backend: string) {
    return this.run(() =>
      this.casebook.transaction(() => this.casebook.markForwardedIfNew(caseId, backend)),
    );
  }
  pendingNotifications(platform?: string): Promise<Notification[]> {
    return this.run(() => this.casebook.pendingNotifications(platform));
  }
  markNotified(id: number) {
    return this.run(() => this.casebook.markNotified(id));
  }
  claimDeliveries(
    owner: string,
    limit: number,
    leaseMs: number,
    asOf: Date,
  ): Promise<OutboxEntry[]> {
    return this.run(() => this.casebook.claimDeliveries(owner, limit, leaseMs, asOf));
  }
  markDelivered(id: number, owner: string, result: { remoteId?: string; token?: string }) {
    return this.run(() => this.casebook.markDelivered(id, owner, result));
  }
  markRetry(id: number, owner: string, reason: string, nextAttemptAt: Date) {
    return this.run(() => this.casebook.markRetry(id, owner, reason, nextAttemptAt));
  }
  markFailed(id: number, owner: string, reason: string) {
    return this.run(() => this.casebook.markFailed(id, owner, reason));
  }
  deferDelivery(id: number, owner: string, until: Date) {
    return this.run(() => this.casebook.deferDelivery(id, owner, until));
  }
  releaseClaim(id: number, owner: string) {
    return this.run(() => this.casebook.releaseClaim(id, owner));
  }
  outboxFor(caseId: string) {
    return this.run(() => this.casebook.outboxFor(caseId));
  }
  awaitingToken() {
    return this.run(() => this.casebook.awaitingToken());
  }
  caseIdByRemoteId(backend: string, remoteId: string) {
    return this.run(() => this.casebook.caseIdByRemoteId(backend, remoteId));
  }
  setRemoteId(id: number, remoteId: string) {
    return this.run(() => this.casebook.setRemoteId(id, remoteId));
  }
  enqueue(caseId: string, backend: string) {
    return this.run(() => this.casebook.enqueue(caseId, backend));
  }
  loadConversation(key: string): Promise<StoredConversation> {
    return this.run(() => this.casebook.loadConversation(key));
  }
  saveConversation(key: string, state: ConversationState | null) {
    return this.run(() => this.casebook.saveConversation(key, state));
  }
  handledReply(platform: string, senderId: string, messageId: string): Promise<Reply | undefined> {
    return this.run(() => this.casebook.handledReply(platform, senderId, messageId));
  }
  commitMessage(commit: MessageCommit) {
    return this.run(() => this.casebook.commitMessage(commit));
  }
  prune(now: Date) {
    return this.run(() =>
      this.casebook.prune(now, IDLE_CONVERSATION_MS, IDLE_INTAKE_MS, HANDLED_MESSAGES_KEPT_MS),
    );
  }
  async ping(): Promise<void> {
    // A read never waits for a writer in WAL mode; this finds a file that is gone or unreadable.
    await this.run(() => this.casebook.db.prepare("SELECT 1").get());
  }
  async close(): Promise<void> {
    this.casebook.close();
  }
}
