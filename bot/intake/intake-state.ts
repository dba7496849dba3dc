import type { Complaint, TranscriptLine } from "../complaint.ts";

/** Fields the intake may ask for, one at a time. */
export type IntakeField = "district" | "community" | "description" | "contact";

/** A complaint being collected in one private conversation. */
export interface IntakeState {
  /** offered: the bot answered and offered to file; the draft is kept until the resident takes it up. */
  stage: "offered" | "collecting" | "confirming";
  draft: Complaint;
  /** The field the bot asked for last, so a bare answer (卫东区) lands there. */
  asking?: IntakeField;
  /** Where it started, for routing status updates back. */
  platform: string;
  senderId: string;
  groupConversationId?: string;
  transcript: TranscriptLine[];
  startedAt: string;
  /** How often each field was asked, so an unanswered one is not asked forever. */
  asked: Partial<Record<IntakeField, number>>;
  /** The community was read from a 小区-like name, not guessed from a bare segment. */
  communityStrong?: boolean;
  /** The field the resident answered last: 写错了，是X with no field named corrects it. */
  answered?: IntakeField;
  /** The resident chose not to leave contact details. */
  contactDeclined?: boolean;
}
