import type { CaseOrigin, CaseStatus, Complaint, FiledCase, TranscriptLine } from "./complaint.ts";

/**
 * Where a confirmed complaint is filed. The embedded default is the SQLite
 * casebook, which also queues it for delivery to any configured backend.
 */
export interface ComplaintDesk {
  file(input: {
    complaint: Complaint;
    origin: CaseOrigin;
    transcript: TranscriptLine[];
  }): Promise<FiledCase> | FiledCase;
  /** A resident asking about their own case; undefined when it is not theirs or does not exist. */
  statusOf?(
    caseNumber: string,
    origin: Pick<CaseOrigin, "platform" | "senderId">,
  ):
    | Promise<{ status: CaseStatus; updatedAt: string } | undefined>
    | { status: CaseStatus; updatedAt: string }
    | undefined;
  /** This resident's cases, newest first (progress asked without a number). */
  casesOf?(
    origin: Pick<CaseOrigin, "platform" | "senderId">,
  ):
    | Promise<{ number: string; status: CaseStatus; updatedAt: string }[]>
    | { number: string; status: CaseStatus; updatedAt: string }[];
}
