import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";

/** The XML WeChat posts to an Official Account's server, and the passive replies it accepts. */

/** Thrown for a body that is not one well-formed `<xml>` message. */
export class MalformedXmlError extends Error {
  override name = "MalformedXmlError";
}

const parser = new XMLParser({
  // MsgId is a 64-bit number: read as text, never as a (rounded) JS number.
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  trimValues: true,
});

const field = z.string().max(20_000);

/** One message or event, with the fields this channel reads (others are kept by `looseObject`). */
export const MpMessageSchema = z.looseObject({
  ToUserName: field,
  FromUserName: field.min(1).max(128),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: field.min(1).max(32),
  Content: field.optional(),
  MsgId: z
    .string()
    .regex(/^\d{1,24}$/)
    .optional(),
  MediaId: field.optional(),
  PicUrl: field.optional(),
  Recognition: field.optional(),
  Url: field.optional(),
  Event: field.optional(),
  EventKey: field.optional(),
});
export type MpMessage = z.infer<typeof MpMessageSchema>;

/** The safe-mode envelope: only the ciphertext (and, in compatible mode, the plain fields too). */
const EnvelopeSchema = z.looseObject({ Encrypt: z.string().min(1).max(100_000) });

function parseXml(text: string): Record<string, unknown> {
  // WeChat never sends a DOCTYPE; refusing it rules out entity tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new MalformedXmlError("DOCTYPE not allowed");
  if (XMLValidator.validate(text) !== true) throw new MalformedXmlError("not well-formed");
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc.xml;
  if (root === null || typeof root !== "object" || Array.isArray(root))
    throw new MalformedXmlError("no <xml> root");
  return root as Record<string, unknown>;
}

/** Reads one plain message; throws MalformedXmlError when fields are missing or malformed. */
export function parseMessage(text: string): MpMessage {
  const parsed = MpMessageSchema.safeParse(parseXml(text));
  if (!parsed.success) throw new MalformedXmlError("unexpected message fields");
  return parsed.data;
}

/** The ciphertext of a safe-mode body. */
export function parseEnvelope(text: string): string {
  const parsed = EnvelopeSchema.safeParse(parseXml(text));
  if (!parsed.success) throw new MalformedXmlError("no <Encrypt>");
  return parsed.data.Encrypt;
}

/** CDATA cannot hold "]]>": split it across two sections. */
const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** A passive text reply to `openId` from the account `accountId` (the message's ToUserName). */
export function textReplyXml(
  openId: string,
  accountId: string,
  content: string,
  createTime: number,
): string {
  return [
    "<xml>",
    `<ToUserName>${cdata(openId)}</ToUserName>`,
    `<FromUserName>${cdata(accountId)}</FromUserName>`,
    `<CreateTime>${createTime}</CreateTime>`,
    `<MsgType>${cdata("text")}</MsgType>`,
    `<Content>${cdata(content)}</Content>`,
    "</xml>",
  ].join("");
}

/** A safe-mode reply: the encrypted passive reply, its signature, timestamp and nonce. */
export function encryptedReplyXml(
  encrypted: string,
  msgSignature: string,
  timestamp: string,
  nonce: string,
): string {
  return [
    "<xml>",
    `<Encrypt>${cdata(encrypted)}</Encrypt>`,
    `<MsgSignature>${cdata(msgSignature)}</MsgSignature>`,
    `<TimeStamp>${timestamp}</TimeStamp>`,
    `<Nonce>${cdata(nonce)}</Nonce>`,
    "</xml>",
  ].join("");
}
