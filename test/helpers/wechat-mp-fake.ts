/**
 * A loopback fake of WeChat's servers for an Official Account, written from
 * WeChat's documentation independently of adapters/chat/wechat-mp/ (its own
 * SHA-1 signing, AES-256-CBC and XML), so the tests do not trust the code
 * they check.
 *
 *   const wx = await startFakeWeChat();                 // API root: wx.apiRoot
 *   wx.callbackUrl = `${mpServer.url}/wechat/mp`;
 *   await wx.send({ from: "o1", text: "物业能停水吗" }, "safe");  // signs, encrypts, posts,
 *                                                      // retries after 5 s like WeChat
 *   wx.inbox                   // every message the resident received: passive, custom, template
 *   wx.tokenRequests           // how many access tokens were handed out
 *   wx.revokeTokens()          // tokens issued so far are rejected (errcode 40001)
 *   wx.closeWindow("o1")       // customer-service messages to o1 answer errcode 45015
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { Hono } from "hono";
import { listen } from "./listen.ts";

export const FAKE_APP_ID = "wx0123456789abcdef";
export const FAKE_SECRET = "0123456789abcdef0123456789abcdef";
export const FAKE_TOKEN = "wuyeToken2026";
/** 43 characters of base64, as the Official Account's settings page generates. */
export const FAKE_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
export const FAKE_ACCOUNT = "gh_0123456789ab";

/** `compatible`: the encrypted message and the plain fields side by side, as during a switch-over. */
export type Mode = "plain" | "safe" | "compatible";

export interface Received {
  openId: string;
  text: string;
  via: "passive" | "custom" | "template";
  /** Milliseconds since the fake first posted the message this answers (passive only). */
  ms?: number;
}

export interface Attempt {
  status: number | "timeout";
  ms: number;
  body: string;
}

export interface Outgoing {
  from: string;
  text?: string;
  /** image: MediaId; voice: MediaId and optional recognition. */
  type?: "text" | "image" | "voice" | "event";
  mediaId?: string;
  recognition?: string;
  event?: string;
  msgId?: string;
  createTime?: number;
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;

function sha1Sorted(...parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

const KEY = Buffer.from(`${FAKE_AES_KEY}=`, "base64");

function wxEncrypt(text: string, appId = FAKE_APP_ID, key: Buffer = KEY): string {
  const msg = Buffer.from(text);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const raw = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
  const n = 32 - (raw.length % 32);
  const padded = Buffer.concat([raw, Buffer.alloc(n, n)]);
  const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]).toString("base64");
}

function wxDecrypt(b64: string): { text: string; appId: string } {
  const d = createDecipheriv("aes-256-cbc", KEY, KEY.subarray(0, 16)).setAutoPadding(false);
  const raw = Buffer.concat([d.update(Buffer.from(b64, "base64")), d.final()]);
  const n = raw[raw.length - 1] as number;
  const body = raw.subarray(0, raw.length - n);
  const len = body.readUInt32BE(16);
  return {
    text: body.subarray(20, 20 + len).toString(),
    appId: body.subarray(20 + len).toString(),
  };
}

/** The text of one element (CDATA or not); undefined when absent. */
export function xmlField(xml: string, name: string): string | undefined {
  const m = xml.match(
    new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`),
  );
  return m ? (m[1] ?? m[2]) : undefined;
}

let msgCounter = 7_300_000_000_000_000_000n;

export async function startFakeWeChat(
  options: { timeoutMs?: number; attempts?: number; now?: () => number } = {},
) {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const attempts = options.attempts ?? 3;
  const now = options.now ?? Date.now;
  const inbox: Received[] = [];
  const problems: string[] = [];
  const valid = new Set<string>();
  const closed = new Set<string>();
  let tokenRequests = 0;
  let tokenCounter = 0;

  function issue(appid: unknown, secret: unknown) {
    if (appid !== FAKE_APP_ID || secret !== FAKE_SECRET)
      return { errcode: 40125, errmsg: "invalid appsecret" };
    tokenRequests++;
    const token = `TOKEN_${++tokenCounter}_${randomBytes(6).toString("hex")}`;
    valid.add(token);
    return { access_token: token, expires_in: 7200 };
  }

  const app = new Hono();
  app.get("/cgi-bin/token", (c) => c.json(issue(c.req.query("appid"), c.req.query("secret"))));
  app.post("/cgi-bin/stable_token", async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    if (body.grant_type !== "client_credential")
      return c.json({ errcode: 40002, errmsg: "invalid grant_type" });
    return c.json(issue(body.appid, body.secret));
  });
  app.post("/cgi-bin/message/custom/send", async (c) => {
    if (!valid.has(c.req.query("access_token") ?? ""))
      return c.json({ errcode: 40001, errmsg: "invalid credential, access_token is invalid" });
    const body = (await c.req.json()) as {
      touser?: string;
      msgtype?: string;
      text?: { content?: string };
    };
    const openId = body.touser ?? "";
    if (body.msgtype !== "text" || typeof body.text?.content !== "string")
      return c.json({ errcode: 40008, errmsg: "invalid message type" });
    if (Buffer.byteLength(body.text.content) > 2048)
      return c.json({ errcode: 45002, errmsg: "content size out of limit" });
    if (closed.has(openId)) return c.json({ errcode: 45015, errmsg: "response out of time limit" });
    inbox.push({ openId, text: body.text.content, via: "custom" });
    return c.json({ errcode: 0, errmsg: "ok" });
  });
  app.post("/cgi-bin/message/template/send", async (c) => {
    if (!valid.has(c.req.query("access_token") ?? ""))
      return c.json({ errcode: 40001, errmsg: "invalid credential" });
    const body = (await c.req.json()) as {
      touser?: string;
      template_id?: string;
      data?: Record<string, { value?: string }>;
    };
    const text = Object.values(body.data ?? {})
      .map((v) => v.value ?? "")
      .join("\n");
    inbox.push({ openId: body.touser ?? "", text, via: "template" });
    return c.json({ errcode: 0, errmsg: "ok", msgid: 1 });
  });
  const server = await listen(app);

  function plainXml(m: Outgoing, createTime: number, msgId: string | undefined): string {
    const type = m.type ?? "text";
    const parts = [
      `<ToUserName>${cdata(FAKE_ACCOUNT)}</ToUserName>`,
      `<FromUserName>${cdata(m.from)}</FromUserName>`,
      `<CreateTime>${createTime}</CreateTime>`,
      `<MsgType>${cdata(type)}</MsgType>`,
    ];
    if (type === "text") parts.push(`<Content>${cdata(m.text ?? "")}</Content>`);
    if (type === "image")
      parts.push(
        `<PicUrl>${cdata(`http://mmbiz.qpic.cn/${m.mediaId}`)}</PicUrl>`,
        `<MediaId>${cdata(m.mediaId ?? "")}</MediaId>`,
      );
    if (type === "voice")
      parts.push(
        `<MediaId>${cdata(m.mediaId ?? "")}</MediaId>`,
        `<Format>${cdata("amr")}</Format>`,
        `<Recognition>${cdata(m.recognition ?? "")}</Recognition>`,
      );
    if (type === "event")
      parts.push(`<Event>${cdata(m.event ?? "")}</Event>`, `<EventKey>${cdata("")}</EventKey>`);
    if (msgId) parts.push(`<MsgId>${msgId}</MsgId>`);
    return `<xml>${parts.join("")}</xml>`;
  }

  /** The signed URL and body of one post, as WeChat builds them. */
  function request(
    url: string,
    xml: string,
    mode: Mode,
    openId: string,
    tamper: Tamper = {},
  ): { url: string; body: string } {
    const timestamp = String(tamper.timestamp ?? Math.floor(now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const q = new URLSearchParams({
      signature: tamper.signature ?? sha1Sorted(FAKE_TOKEN, timestamp, nonce),
      timestamp,
      nonce,
      openid: openId,
    });
    if (mode === "plain") return { url: `${url}?${q}`, body: tamper.body ?? xml };
    const encrypted = wxEncrypt(xml, tamper.appId ?? FAKE_APP_ID, tamper.key ?? KEY);
    q.set("encrypt_type", "aes");
    q.set(
      "msg_signature",
      tamper.msgSignature ?? sha1Sorted(FAKE_TOKEN, timestamp, nonce, encrypted),
    );
    return {
      url: `${url}?${q}`,
      body:
        tamper.body ??
        `<xml><ToUserName>${cdata(FAKE_ACCOUNT)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt></xml>`,
    };
  }

  /** Reads a passive answer the way WeChat would; records a problem when it is not valid. */
  function readAnswer(body: string, mode: Mode, openId: string): string | undefined {
    if (body === "" || body === "success") return undefined;
    let xml = body;
    if (mode !== "plain") {
      const enc = xmlField(body, "Encrypt") ?? "";
      const sig = xmlField(body, "MsgSignature") ?? "";
      const ts = xmlField(body, "TimeStamp") ?? "";
      const nonce = xmlField(body, "Nonce") ?? "";
      if (sha1Sorted(FAKE_TOKEN, ts, nonce, enc) !== sig) {
        problems.push("reply signature does not verify");
        return undefined;
      }
      const { text, appId } = wxDecrypt(enc);
      if (appId !== FAKE_APP_ID) problems.push(`reply encrypted for ${appId}`);
      xml = text;
    } else if (xml.includes("<Encrypt>")) {
      problems.push("encrypted reply in plain mode");
    }
    if (xmlField(xml, "ToUserName") !== openId) problems.push("reply to the wrong resident");
    if (xmlField(xml, "FromUserName") !== FAKE_ACCOUNT)
      problems.push("reply from the wrong account");
    if (xmlField(xml, "MsgType") !== "text") problems.push("reply is not text");
    const content = xmlField(xml, "Content");
    if (content === undefined) problems.push("reply without Content");
    return content;
  }

  const fake = {
    apiRoot: server.url,
    callbackUrl: "",
    inbox,
    /** Replies WeChat could not read (bad signature, wrong account, …); should stay empty. */
    problems,
    get tokenRequests() {
      return tokenRequests;
    },
    revokeTokens() {
      valid.clear();
    },
    closeWindow(openId: string) {
      closed.add(openId);
    },
    openWindow(openId: string) {
      closed.delete(openId);
    },
    received(openId: string) {
      return inbox.filter((r) => r.openId === openId);
    },
    /** A new 64-bit MsgId. */
    nextMsgId() {
      msgCounter += 1n;
      return String(msgCounter);
    },

    /**
     * Posts a message as WeChat does: signed (and encrypted in safe mode),
     * waiting at most `timeoutMs` for the answer and posting again after a
     * timeout or a failure, `attempts` times in all. Returns each attempt.
     */
    async send(m: Outgoing, mode: Mode = "plain"): Promise<Attempt[]> {
      const createTime = m.createTime ?? Math.floor(now() / 1000);
      const msgId = m.type === "event" ? undefined : (m.msgId ?? fake.nextMsgId());
      const xml = plainXml(m, createTime, msgId);
      const started = performance.now();
      const log: Attempt[] = [];
      for (let i = 0; i < attempts; i++) {
        const r = request(fake.callbackUrl, xml, mode, m.from);
        const t0 = performance.now();
        try {
          const response = await fetch(r.url, {
            method: "POST",
            headers: { "content-type": "text/xml" },
            body: r.body,
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = await response.text();
          log.push({ status: response.status, ms: performance.now() - t0, body });
          if (response.ok) {
            const content = readAnswer(body, mode, m.from);
            if (content !== undefined)
              inbox.push({
                openId: m.from,
                text: content,
                via: "passive",
                ms: performance.now() - started,
              });
            return log;
          }
        } catch {
          log.push({ status: "timeout", ms: performance.now() - t0, body: "" });
        }
      }
      return log;
    },

    /** One post with something wrong in it (no retry): the status and body answered. */
    async sendTampered(
      m: Outgoing,
      mode: Mode,
      tamper: Tamper,
    ): Promise<{ status: number; body: string }> {
      const createTime = m.createTime ?? Math.floor(now() / 1000);
      const xml = plainXml(m, createTime, m.msgId ?? fake.nextMsgId());
      const r = request(fake.callbackUrl, xml, mode, m.from, tamper);
      const response = await fetch(r.url, { method: "POST", body: r.body });
      return { status: response.status, body: await response.text() };
    },

    /** The server configuration check WeChat makes when the URL is saved. */
    async verifyUrl(echostr: string, tamper: { signature?: string } = {}) {
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const q = new URLSearchParams({
        signature: tamper.signature ?? sha1Sorted(FAKE_TOKEN, timestamp, nonce),
        timestamp,
        nonce,
        echostr,
      });
      const response = await fetch(`${fake.callbackUrl}?${q}`);
      return { status: response.status, body: await response.text() };
    },

    close: () => server.close(),
  };
  return fake;
}

export interface Tamper {
  signature?: string;
  msgSignature?: string;
  timestamp?: number;
  appId?: string;
  key?: Buffer<ArrayBuffer>;
  body?: string;
}

export type FakeWeChat = Awaited<ReturnType<typeof startFakeWeChat>>;
