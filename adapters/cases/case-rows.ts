import type { CaseStatus, Complaint, FiledCase, TranscriptLine } from "../../bot/complaint.ts";
import type { OutboxEntry } from "./case-store.ts";

type Row = Record<string, unknown>;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * A filed case from its rows, the same for both stores: the cases row, its
 * attachments and its transcript (SQLite stores booleans as 0/1).
 */
export function filedCaseFromRows(
  row: Row,
  evidence: Row[],
  transcript: TranscriptLine[],
): FiledCase {
  const name = str(row.contact_name);
  const phone = str(row.contact_phone);
  return {
    id: String(row.id),
    number: String(row.number),
    status: row.status as CaseStatus,
    createdAt: String(row.created_at),
    complaint: {
      category: str(row.category) as Complaint["category"],
      district: str(row.district) as Complaint["district"],
      community: str(row.community),
      urgency: row.urgency as Complaint["urgency"],
      anonymous: row.anonymous === true || row.anonymous === 1,
      legal_basis: JSON.parse(String(row.legal_basis)) as string[],
      description: String(row.description),
      location: str(row.location),
      company: str(row.company),
      occurredAt: str(row.occurred_at),
      contact: name || phone ? { name, phone } : null,
      evidence: evidence.map((e) => ({
        kind: e.kind as Complaint["evidence"][number]["kind"],
        ...(e.ref ? { ref: String(e.ref) } : {}),
        at: String(e.at),
      })),
    },
    origin: {
      platform: String(row.origin_platform),
      privateConversationId: String(row.origin_private_conversation),
      senderId: String(row.origin_sender),
      ...(row.origin_group ? { groupConversationId: String(row.origin_group) } : {}),
    },
    transcript,
  };
}

/** An outbox row, the same for both stores. */
export function toOutbox(r: Row): OutboxEntry {
  return {
    id: Number(r.id),
    caseId: String(r.case_id),
    backend: String(r.backend),
    idempotencyKey: String(r.idempotency_key),
    state: r.state as OutboxEntry["state"],
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    lastError: str(r.last_error),
    remoteId: str(r.remote_id),
    token: str(r.token),
    createdAt: String(r.created_at),
    claims: Number(r.claims ?? 0),
  };
}
