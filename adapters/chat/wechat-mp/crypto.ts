import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { safeEqual } from "../http-api.ts";

/**
 * The Official Account's message signing and "safe mode" encryption, as
 * WeChat's message encryption guide describes them: SHA-1 over the sorted
 * strings, AES-256-CBC with the key decoded from the 43-character
 * EncodingAESKey (its first 16 bytes are the IV), PKCS#7 padding to 32 bytes,
 * and a plaintext of 16 random bytes, a 4-byte big-endian length, the message
 * and the AppID.
 */

const BLOCK = 32;

/** SHA-1 of the strings sorted and joined: `signature` (token, timestamp, nonce) and `msg_signature` (plus the ciphertext). */
export function sign(...parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** Compares a presented signature with the expected one without leaking where they differ. */
export function signatureMatches(presented: string | undefined, ...parts: string[]): boolean {
  if (!presented) return false;
  return safeEqual(presented.toLowerCase(), sign(...parts));
}

/** Thrown when a ciphertext cannot be what WeChat sent: wrong key, bad padding, another AppID. */
export class DecryptError extends Error {
  override name = "DecryptError";
}

export const AES_KEY_PATTERN = /^[A-Za-z0-9+/]{43}$/;

/** The 32-byte AES key behind an EncodingAESKey. */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!AES_KEY_PATTERN.test(encodingAesKey))
    throw new Error("EncodingAESKey must be 43 characters of base64");
  return Buffer.from(`${encodingAesKey}=`, "base64");
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer {
  const n = data[data.length - 1] ?? 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new DecryptError("bad padding");
  for (let i = data.length - n; i < data.length; i++)
    if (data[i] !== n) throw new DecryptError("bad padding");
  return data.subarray(0, data.length - n);
}

/** Encrypts a message for `appId` (base64), as WeChat does and as a safe-mode reply must be. */
export function encrypt(key: Buffer, appId: string, message: string): string {
  const body = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pad(Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, "utf8")]));
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

/**
 * Decrypts a safe-mode message and checks the AppID that follows it, so a
 * message encrypted for another account (or with another key) is refused.
 */
export function decrypt(key: Buffer, expectedAppId: string, ciphertext: string): string {
  const data = Buffer.from(ciphertext, "base64");
  if (data.length === 0 || data.length % BLOCK !== 0) throw new DecryptError("bad length");
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  } catch (e) {
    if (e instanceof DecryptError) throw e;
    throw new DecryptError("cannot decrypt");
  }
  if (plain.length < 20) throw new DecryptError("too short");
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new DecryptError("bad length");
  const appId = plain.subarray(20 + length).toString("utf8");
  if (appId !== expectedAppId) throw new DecryptError("another AppID");
  return plain.subarray(20, 20 + length).toString("utf8");
}
