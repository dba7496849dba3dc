import type { CaseStatus, FiledCase } from "../../bot/complaint.ts";

/**
 * The result of one delivery attempt. `retry` failures (5xx, timeouts,
 * connection errors) stay in the outbox; `permanent` ones (400/403/404) are
 * recorded with the server's reason and never retried.
 */
export type DeliveryResult =
  | { outcome: "delivered"; remoteId?: string; token?: string }
  | { outcome: "retry"; reason: string }
  | { outcome: "permanent"; reason: string };

/** A status change reported by the backend for a case it holds. */
export interface RemoteUpdate {
  /** The backend's id for this update, used to apply each update once. */
  updateId: string;
  remoteId: string;
  status: CaseStatus;
  /** The backend's note to the resident, if any. */
  description?: string;
  at: string;
}

/**
 * Everything that receives filed cases outside the bot. One adapter per
 * system (Open311, a signed webhook, …), chosen by configuration.
 */
export interface CaseBackend {
  readonly name: string;
  /**
   * Sends a case. `idempotencyKey` is stable across retries of the same case,
   * so a repeated delivery after a crash is harmless.
   */
  deliver(filed: FiledCase, idempotencyKey: string): Promise<DeliveryResult>;
  /** Turns a token from an earlier delivery into the backend's case id, once it has one. */
  resolveToken?(token: string): Promise<string | undefined>;
  /** Status updates since the last call (the adapter keeps its own cursor). */
  fetchUpdates?(since: string | undefined): Promise<RemoteUpdate[]>;
}
