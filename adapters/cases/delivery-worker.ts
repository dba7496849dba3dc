import type { FiledCase } from "../../bot/complaint.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import { silentLogger } from "../../bot/logger.ts";
import { maskPhones } from "../../bot/privacy.ts";
import type { CaseBackend, DeliveryResult, RemoteUpdate } from "./case-backend.ts";
import type { Casebook, OutboxEntry } from "./casebook.ts";

/**
 * When to try a delivery: `delaysSeconds[0]` after filing, then `delaysSeconds[n]` after the
 * n-th failed attempt; the last delay repeats. `maxAttempts` (unset: no limit) turns the
 * attempt that reaches it into a permanent failure.
 */
export interface DeliverySchedule {
  delaysSeconds: number[];
  maxAttempts?: number;
}

/** Try at once, again after 5 minutes, then every 30 minutes. */
export const DEFAULT_DELIVERY_SCHEDULE: DeliverySchedule = { delaysSeconds: [0, 300, 1800] };

/** How often a started worker looks at the outbox and asks backends for news. */
export const DEFAULT_DELIVERY_INTERVAL_MS = 15_000;

export interface DeliveryRun {
  delivered: number;
  retried: number;
  failed: number;
}

export interface PollRun {
  /** Tokens turned into the backend's case id. */
  resolved: number;
  /** Remote status updates applied (a repeated update is not counted again). */
  applied: number;
}

export interface DeliveryWorker {
  /** One pass over the due outbox entries; each entry is tried at most once per pass. */
  runOnce(): Promise<DeliveryRun>;
  /** Resolves tokens and applies backends' status updates. */
  pollOnce(): Promise<PollRun>;
  /** Runs a pass now and then every `intervalMs` after the previous one has finished. */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for a pass in progress, so the casebook can then be closed. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerOptions {
  casebook: Casebook;
  backends: CaseBackend[];
  schedule?: DeliverySchedule;
  now?: () => Date;
  logger?: EngineLogger;
}

const BATCH = 20;
const MAX_LOGGED_REASON = 200;

/**
 * A backend's reason may quote the complaint back; logs get it short, with phone numbers masked
 * and the resident's own name and number (when the case has them) taken out.
 */
function loggable(reason: string, filed?: FiledCase): string {
  let text = reason;
  for (const known of [filed?.complaint.contact?.name, filed?.complaint.contact?.phone]) {
    if (known?.trim()) text = text.split(known.trim()).join("[已隐去]");
  }
  const masked = maskPhones(text).replace(/\s+/g, " ").trim();
  return masked.length > MAX_LOGGED_REASON ? `${masked.slice(0, MAX_LOGGED_REASON)}…` : masked;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Drains the casebook's outbox into the configured backends and brings their
 * status updates back to the resident. All state lives in the casebook, so a
 * restarted worker picks up exactly where a killed one stopped: an entry
 * leaves the outbox only once delivered or permanently failed, and a repeated
 * delivery carries the same idempotency key.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { casebook } = options;
  const schedule = options.schedule ?? DEFAULT_DELIVERY_SCHEDULE;
  if (schedule.delaysSeconds.length === 0) throw new Error("投递重试时间表不能为空");
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const backends = new Map(options.backends.map((b) => [b.name, b]));
  /** Entries queued for a backend that is no longer configured: warned about once, kept queued. */
  const orphans = new Set<number>();
  /** Where to re-read updates from while some could not yet be matched to a case (see pollOnce). */
  const heldSince = new Map<string, string>();

  let chain: Promise<unknown> = Promise.resolve();
  // Manual calls and the timer loop share one queue, so two passes never deliver the same entry.
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  }

  function delayAfter(failures: number): number {
    const delays = schedule.delaysSeconds;
    return (delays[Math.min(failures, delays.length - 1)] ?? 0) * 1000;
  }

  function caseNumber(caseId: string): string {
    return casebook.get(caseId)?.number ?? caseId;
  }

  async function attempt(
    entry: OutboxEntry,
    backend: CaseBackend,
  ): Promise<keyof DeliveryRun | undefined> {
    if (entry.attempts === 0 && delayAfter(0) > 0) {
      const firstDue = Date.parse(entry.createdAt) + delayAfter(0);
      if (firstDue > now().getTime()) {
        casebook.deferDelivery(entry.id, new Date(firstDue));
        return undefined;
      }
    }
    const filed = casebook.get(entry.caseId);
    if (!filed) {
      casebook.markFailed(entry.id, "案件记录不存在");
      log.error({ event: "delivery_failed", case: entry.caseId, backend: backend.name });
      return "failed";
    }
    const logged = { case: filed.number, backend: backend.name };

    let result: DeliveryResult;
    try {
      result = await backend.deliver(filed, entry.idempotencyKey);
    } catch (error) {
      result = { outcome: "retry", reason: `投递出错：${errorText(error)}` };
    }

    if (result.outcome === "delivered") {
      const { remoteId, token } = result;
      casebook.transaction(() => {
        casebook.markDelivered(entry.id, {
          ...(remoteId ? { remoteId } : {}),
          ...(token ? { token } : {}),
        });
        // Only the first backend to accept the case moves it on; a later one must not undo
        // progress, and the resident hears "forwarded" once.
        if (casebook.get(entry.caseId)?.status === "new") {
          casebook.changeStatus(entry.caseId, {
            status: "forwarded",
            actor: backend.name,
            source: "backend",
          });
        }
      });
      log.info({ event: "case_delivered", ...logged, outcome: "delivered" });
      return "delivered";
    }

    if (result.outcome === "permanent") {
      casebook.markFailed(entry.id, result.reason);
      log.error({
        event: "delivery_failed",
        ...logged,
        outcome: "permanent",
        reason: loggable(result.reason, filed),
      });
      return "failed";
    }

    const attempts = entry.attempts + 1;
    if (schedule.maxAttempts !== undefined && attempts >= schedule.maxAttempts) {
      const reason = `已尝试 ${attempts} 次仍未送达，最后一次：${result.reason}`;
      casebook.markFailed(entry.id, reason);
      log.error({
        event: "delivery_failed",
        ...logged,
        outcome: "gave_up",
        reason: loggable(reason, filed),
      });
      return "failed";
    }
    const next = new Date(now().getTime() + delayAfter(attempts));
    casebook.markRetry(entry.id, result.reason, next);
    log.warn({
      event: "delivery_retry",
      ...logged,
      outcome: "retry",
      attempts,
      next: next.toISOString(),
      reason: loggable(result.reason, filed),
    });
    return "retried";
  }

  async function deliverDue(keepGoing: () => boolean): Promise<DeliveryRun> {
    const run: DeliveryRun = { delivered: 0, retried: 0, failed: 0 };
    let afterId = 0;
    while (keepGoing()) {
      const batch = casebook.dueDeliveries(BATCH, { asOf: now(), afterId });
      if (batch.length === 0) break;
      for (const entry of batch) {
        if (!keepGoing()) break;
        afterId = entry.id;
        const backend = backends.get(entry.backend);
        if (!backend) {
          if (!orphans.has(entry.id)) {
            orphans.add(entry.id);
            log.warn({
              event: "delivery_backend_missing",
              case: caseNumber(entry.caseId),
              backend: entry.backend,
            });
          }
          continue;
        }
        const outcome = await attempt(entry, backend);
        if (outcome) run[outcome]++;
      }
    }
    return run;
  }

  async function resolveTokens(backend: CaseBackend): Promise<number> {
    if (!backend.resolveToken) return 0;
    let resolved = 0;
    for (const entry of casebook.awaitingToken()) {
      if (entry.backend !== backend.name || !entry.token) continue;
      try {
        const remoteId = await backend.resolveToken(entry.token);
        if (!remoteId) continue;
        casebook.setRemoteId(entry.id, remoteId);
        resolved++;
        log.info({
          event: "token_resolved",
          case: caseNumber(entry.caseId),
          backend: backend.name,
        });
      } catch (error) {
        log.warn({
          event: "token_unresolved",
          case: caseNumber(entry.caseId),
          backend: backend.name,
          reason: loggable(errorText(error)),
        });
      }
    }
    return resolved;
  }

  async function applyUpdates(backend: CaseBackend): Promise<number> {
    if (!backend.fetchUpdates) return 0;
    let updates: RemoteUpdate[];
    try {
      updates = await backend.fetchUpdates(heldSince.get(backend.name));
    } catch (error) {
      log.warn({
        event: "updates_unavailable",
        backend: backend.name,
        reason: loggable(errorText(error)),
      });
      return 0;
    }
    let applied = 0;
    let earliestUnmatched: string | undefined;
    for (const update of updates) {
      const caseId = casebook.caseIdByRemoteId(backend.name, update.remoteId);
      if (!caseId) {
        if (!earliestUnmatched || Date.parse(update.at) < Date.parse(earliestUnmatched)) {
          earliestUnmatched = update.at;
        }
        continue;
      }
      const changed = casebook.changeStatus(caseId, {
        status: update.status,
        ...(update.description ? { note: update.description } : {}),
        actor: backend.name,
        source: "backend",
        // Update ids are only unique within one backend.
        remoteUpdateId: `${backend.name}:${update.updateId}`,
      });
      if (changed) {
        applied++;
        log.info({
          event: "case_status_updated",
          case: caseNumber(caseId),
          backend: backend.name,
          status: update.status,
        });
      }
    }
    // An update can name an id we learn only when a token resolves; the adapter's cursor has
    // moved past it, so read from there again until no token is outstanding.
    const tokensPending = casebook.awaitingToken().some((e) => e.backend === backend.name);
    if (earliestUnmatched && tokensPending) heldSince.set(backend.name, earliestUnmatched);
    else heldSince.delete(backend.name);
    return applied;
  }

  async function pollAll(): Promise<PollRun> {
    const run: PollRun = { resolved: 0, applied: 0 };
    for (const backend of backends.values()) {
      run.resolved += await resolveTokens(backend);
      run.applied += await applyUpdates(backend);
    }
    return run;
  }

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;

  async function tick(intervalMs: number): Promise<void> {
    timer = undefined;
    try {
      await exclusive(() => deliverDue(() => running));
      if (running) await exclusive(pollAll);
    } catch (error) {
      log.error({ event: "delivery_pass_failed", reason: loggable(errorText(error)) });
    }
    if (!running) return;
    timer = setTimeout(() => {
      pass = tick(intervalMs);
    }, intervalMs);
    // The loop alone must not keep a finished CLI alive.
    timer.unref();
  }

  return {
    runOnce: () => exclusive(() => deliverDue(() => true)),
    pollOnce: () => exclusive(pollAll),
    start(intervalMs = DEFAULT_DELIVERY_INTERVAL_MS) {
      if (running) return;
      running = true;
      pass = tick(intervalMs);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await pass;
    },
  };
}
