import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FiledCase } from "../../bot/complaint.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import { silentLogger } from "../../bot/logger.ts";
import { maskPhones } from "../../bot/privacy.ts";
import type { CaseBackend, DeliveryResult, RemoteUpdate } from "./case-backend.ts";
import type { CaseStore, OutboxEntry } from "./case-store.ts";

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
  /** The name this worker holds leases under. */
  readonly owner: string;
  /** Entries this worker sent again after an earlier claimer vanished without reporting. */
  repeats(): number;
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
  store: CaseStore;
  backends: CaseBackend[];
  schedule?: DeliverySchedule;
  now?: () => Date;
  logger?: EngineLogger;
  /** Lease on a claimed entry (see DEFAULT_LEASE_MS). */
  leaseMs?: number;
  /** Names this worker in the leases it holds (default: host, pid and a random part). */
  owner?: string;
}

const BATCH = 20;
/**
 * How long a claimed entry stays with its worker. Longer than a backend call may take (the
 * HTTP adapters time out well before), so a live worker never loses a claim mid-send; a
 * killed worker's entries are claimed again once it runs out.
 */
export const DEFAULT_LEASE_MS = 120_000;
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
  const { store } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const schedule = options.schedule ?? DEFAULT_DELIVERY_SCHEDULE;
  if (schedule.delaysSeconds.length === 0) throw new Error("投递重试时间表不能为空");
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const backends = new Map(options.backends.map((b) => [b.name, b]));
  /** Entries queued for a backend that is no longer configured: warned about once, kept queued. */
  const orphans = new Set<number>();
  /** Where to re-read updates from while some could not yet be matched to a case (see pollOnce). */
  const heldSince = new Map<string, string>();

  /** Sends of an entry a dead claimer may already have sent (crash after send). */
  let repeats = 0;

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

  async function caseNumber(caseId: string): Promise<string> {
    return (await store.get(caseId))?.number ?? caseId;
  }

  async function attempt(
    entry: OutboxEntry,
    backend: CaseBackend,
  ): Promise<keyof DeliveryRun | undefined> {
    if (entry.attempts === 0 && delayAfter(0) > 0) {
      const firstDue = Date.parse(entry.createdAt) + delayAfter(0);
      if (firstDue > now().getTime()) {
        await store.deferDelivery(entry.id, owner, new Date(firstDue));
        return undefined;
      }
    }
    const filed = await store.get(entry.caseId);
    if (!filed) {
      await store.markFailed(entry.id, owner, "案件记录不存在");
      log.error({ event: "delivery_failed", case: entry.caseId, backend: backend.name });
      return "failed";
    }
    const logged = { case: filed.number, backend: backend.name };
    // Claimed before: an earlier claimer took it and never reported back (killed mid-send, or
    // its lease ran out). The backend may already have it; the idempotency key makes the
    // repeat harmless, and it is counted here.
    if (entry.claims > entry.attempts + 1) {
      repeats++;
      log.warn({ event: "delivery_reclaimed", ...logged, claims: entry.claims });
    }

    let result: DeliveryResult;
    try {
      result = await backend.deliver(filed, entry.idempotencyKey);
    } catch (error) {
      result = { outcome: "retry", reason: `投递出错：${errorText(error)}` };
    }

    if (result.outcome === "delivered") {
      const { remoteId, token } = result;
      // Also moves a new case to forwarded: only the first backend to accept it, once.
      const recorded = await store.markDelivered(entry.id, owner, {
        ...(remoteId ? { remoteId } : {}),
        ...(token ? { token } : {}),
      });
      if (!recorded) log.warn({ event: "delivery_lease_lost", ...logged });
      log.info({ event: "case_delivered", ...logged, outcome: "delivered" });
      return "delivered";
    }

    if (result.outcome === "permanent") {
      await store.markFailed(entry.id, owner, result.reason);
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
      await store.markFailed(entry.id, owner, reason);
      log.error({
        event: "delivery_failed",
        ...logged,
        outcome: "gave_up",
        reason: loggable(reason, filed),
      });
      return "failed";
    }
    const next = new Date(now().getTime() + delayAfter(attempts));
    await store.markRetry(entry.id, owner, result.reason, next);
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
    // Entries released unsent in this pass (unknown backend) are not claimed again in it.
    const seen = new Set<number>();
    while (keepGoing()) {
      const claimed = await store.claimDeliveries(owner, BATCH, leaseMs, now());
      // An entry retried at once is due again; it waits for the next pass, unclaimed.
      for (const e of claimed) if (seen.has(e.id)) await store.releaseClaim(e.id, owner);
      const batch = claimed.filter((e) => !seen.has(e.id));
      if (batch.length === 0) break;
      for (const [i, entry] of batch.entries()) {
        seen.add(entry.id);
        if (!keepGoing()) {
          for (const rest of batch.slice(i)) await store.releaseClaim(rest.id, owner);
          break;
        }
        const backend = backends.get(entry.backend);
        if (!backend) {
          await store.releaseClaim(entry.id, owner);
          if (!orphans.has(entry.id)) {
            orphans.add(entry.id);
            log.warn({
              event: "delivery_backend_missing",
              case: await caseNumber(entry.caseId),
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
    for (const entry of await store.awaitingToken()) {
      if (entry.backend !== backend.name || !entry.token) continue;
      try {
        const remoteId = await backend.resolveToken(entry.token);
        if (!remoteId) continue;
        await store.setRemoteId(entry.id, remoteId);
        resolved++;
        log.info({
          event: "token_resolved",
          case: await caseNumber(entry.caseId),
          backend: backend.name,
        });
      } catch (error) {
        log.warn({
          event: "token_unresolved",
          case: await caseNumber(entry.caseId),
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
      const caseId = await store.caseIdByRemoteId(backend.name, update.remoteId);
      if (!caseId) {
        if (!earliestUnmatched || Date.parse(update.at) < Date.parse(earliestUnmatched)) {
          earliestUnmatched = update.at;
        }
        continue;
      }
      const changed = await store.changeStatus(caseId, {
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
          case: await caseNumber(caseId),
          backend: backend.name,
          status: update.status,
        });
      }
    }
    // An update can name an id we learn only when a token resolves; the adapter's cursor has
    // moved past it, so read from there again until no token is outstanding.
    const tokensPending = (await store.awaitingToken()).some((e) => e.backend === backend.name);
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
    owner,
    repeats: () => repeats,
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
