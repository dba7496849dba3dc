import { z } from "zod";

/** What a resident can send besides text; the engine replies calmly to each. */
export const AttachmentSchema = z.object({
  kind: z.enum(["image", "voice", "video", "file", "sticker", "link", "other"]),
  /** Where the platform keeps it (a file id, a URL); stored as evidence, never fetched by the engine. */
  ref: z.string().max(2000).optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** One incoming message, the same shape from every channel (and the HTTP API). */
export const IncomingMessageSchema = z.object({
  platform: z.string().min(1).max(32),
  conversationId: z.string().min(1).max(256),
  chatType: z.enum(["group", "private"]),
  senderId: z.string().min(1).max(256),
  /** Display name; used to address the resident, never logged or stored in a group transcript. */
  senderName: z.string().max(128).optional(),
  messageId: z.string().max(256).optional(),
  text: z.string().default(""),
  attachment: AttachmentSchema.optional(),
  /** From the channel's group map: the community and district a group belongs to. */
  group: z
    .object({
      community: z.string().max(64).optional(),
      district: z.string().max(32).optional(),
    })
    .optional(),
  /** Channel-level actions such as a tapped button, already mapped to a word (确认/取消). */
  action: z.enum(["confirm", "cancel"]).optional(),
});
export type IncomingMessage = z.input<typeof IncomingMessageSchema>;
export type ParsedMessage = z.output<typeof IncomingMessageSchema>;

export const REPLY_KINDS = [
  "answer",
  "progress",
  "help",
  "clarify",
  "out_of_scope",
  "refused",
  "smalltalk",
  "procedure",
  "unsupported",
  "complaint_offer",
  "complaint_question",
  "complaint_confirm",
  "complaint_filed",
  "complaint_cancelled",
  "emergency",
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export interface Reply {
  kind: ReplyKind;
  /** Plain text to send where the message came from (no Markdown). */
  text: string;
  /** Unit keys the reply relies on; every one exists in the index. */
  citations: string[];
  /** Send this to the resident in a private chat (complaint details leave the group). */
  privateText?: string;
  /** Buttons a channel may render (Telegram inline keyboard); the text already says how to type them. */
  actions?: ("confirm" | "cancel")[];
  /** Set when a complaint was filed by this message. */
  caseNumber?: string;
  /** Set when the reply answered only part of an over-long message. */
  truncated?: boolean;
}
