/**
 * A loopback WebSocket server speaking the WeCom smart bot's long-connection
 * frames (`{ cmd, headers: { req_id }, body }`), for the SDK's `wsUrl`:
 *
 *   aibot_subscribe (auth)     → { headers, errcode: 0 } or 40058 for a wrong secret
 *   ping (heartbeat)           → { headers, errcode: 0 }
 *   aibot_respond_msg          → ack; the reply to the callback with that req_id
 *   aibot_respond_welcome_msg  → ack; the welcome for an enter_chat event
 *   aibot_send_msg             → ack; a message pushed to body.chatid
 *
 * and pushing `aibot_msg_callback` / `aibot_event_callback` frames to the bot.
 *
 *   const wecom = await startWecomServer();            // wecom.url for wsUrl
 *   wecom.text({ user: "zhangsan", text: "物业能停水吗" })               // single chat
 *   wecom.text({ user: "zhangsan", chat: "wrGroup1", text: "@物业助手 …" })  // group
 *   wecom.delivered                                   // what each chat saw
 */
import { randomBytes } from "node:crypto";
import { type WebSocket, WebSocketServer } from "ws";

export const BOT_ID = "aibLoopbackBot01";
export const BOT_SECRET = "loopback-secret-0123456789";

export interface Delivered {
  /** A group's chatid, or the member's userid for a single chat. */
  chat: string;
  text: string;
  via: "reply" | "send" | "welcome";
  /** For replies: the msgid of the message answered. */
  answers?: string;
}

interface Callback {
  chat: string;
  msgid: string;
}

interface Frame {
  cmd?: string;
  headers?: { req_id?: string };
  body?: Record<string, unknown>;
}

export async function startWecomServer() {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const address = wss.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const delivered: Delivered[] = [];
  const problems: string[] = [];
  const frames: Frame[] = [];
  const callbacks = new Map<string, Callback>();
  const streams = new Map<string, string>();
  let socket: WebSocket | undefined;
  let authenticated = 0;
  let heartbeats = 0;
  let msgCounter = 0;
  let refuseReplies = false;

  const ack = (ws: WebSocket, reqId: string, errcode = 0, errmsg = "ok") =>
    ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));

  wss.on("connection", (ws) => {
    let authed = false;
    ws.on("message", (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(data)) as Frame;
      } catch {
        problems.push("a frame that is not JSON");
        return;
      }
      frames.push(frame);
      const reqId = frame.headers?.req_id ?? "";
      const body = frame.body ?? {};
      if (frame.cmd === "aibot_subscribe") {
        if (body.bot_id !== BOT_ID || body.secret !== BOT_SECRET) {
          ack(ws, reqId, 40058, "invalid bot_id or secret");
          return;
        }
        authed = true;
        authenticated++;
        socket = ws;
        ack(ws, reqId);
        return;
      }
      if (!authed) {
        problems.push(`${frame.cmd} before authentication`);
        ack(ws, reqId, 40014, "not authenticated");
        return;
      }
      switch (frame.cmd) {
        case "ping":
          heartbeats++;
          ack(ws, reqId);
          return;
        case "aibot_respond_msg": {
          const callback = callbacks.get(reqId);
          if (callback && refuseReplies) {
            // As WeCom does once a message's reply window has passed.
            ack(ws, reqId, 846608, "reply window expired");
            return;
          }
          if (!callback) {
            problems.push("a reply on an unknown req_id");
            ack(ws, reqId, 846605, "invalid req_id");
            return;
          }
          const stream = body.stream as
            | { id?: string; finish?: boolean; content?: string }
            | undefined;
          if (body.msgtype !== "stream" || !stream?.id) {
            problems.push(`unexpected reply ${JSON.stringify(body).slice(0, 100)}`);
            ack(ws, reqId, 40008, "invalid msgtype");
            return;
          }
          // Stream content is the whole text so far; the finished one is what the chat shows.
          streams.set(stream.id, stream.content ?? "");
          if (stream.finish)
            delivered.push({
              chat: callback.chat,
              text: stream.content ?? "",
              via: "reply",
              answers: callback.msgid,
            });
          ack(ws, reqId);
          return;
        }
        case "aibot_respond_welcome_msg": {
          const callback = callbacks.get(reqId);
          const text = (body.text as { content?: string } | undefined)?.content;
          if (!callback || typeof text !== "string") {
            problems.push("a welcome without its event");
            ack(ws, reqId, 846605, "invalid req_id");
            return;
          }
          delivered.push({ chat: callback.chat, text, via: "welcome" });
          ack(ws, reqId);
          return;
        }
        case "aibot_send_msg": {
          const markdown = body.markdown as { content?: string } | undefined;
          if (typeof body.chatid !== "string" || body.msgtype !== "markdown" || !markdown) {
            problems.push(`unexpected send ${JSON.stringify(body).slice(0, 100)}`);
            ack(ws, reqId, 40008, "invalid message");
            return;
          }
          delivered.push({ chat: body.chatid, text: markdown.content ?? "", via: "send" });
          ack(ws, reqId);
          return;
        }
        default:
          problems.push(`unknown cmd ${frame.cmd}`);
          ack(ws, reqId, 40008, "unknown cmd");
      }
    });
  });

  function push(cmd: string, body: Record<string, unknown>, chat: string, msgid: string) {
    if (!socket) throw new Error("no authenticated connection");
    const reqId = randomBytes(12).toString("hex");
    callbacks.set(reqId, { chat, msgid });
    socket.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return msgid;
  }

  function base(user: string, chat: string | undefined, msgid: string | undefined) {
    const id = msgid ?? `msg${Date.now()}${++msgCounter}`;
    return {
      id,
      body: {
        msgid: id,
        aibotid: BOT_ID,
        ...(chat ? { chatid: chat, chattype: "group" } : { chattype: "single" }),
        from: { userid: user },
        create_time: Math.floor(Date.now() / 1000),
      },
    };
  }

  return {
    url: `ws://127.0.0.1:${port}`,
    delivered,
    problems,
    frames,
    get authenticated() {
      return authenticated;
    },
    get heartbeats() {
      return heartbeats;
    },
    /** A text message from `user`, in a single chat or in the group `chat`; returns its msgid. */
    text(m: { user: string; text: string; chat?: string; msgid?: string }): string {
      const { id, body } = base(m.user, m.chat, m.msgid);
      return push(
        "aibot_msg_callback",
        { ...body, msgtype: "text", text: { content: m.text } },
        m.chat ?? m.user,
        id,
      );
    },
    image(m: { user: string; chat?: string }): string {
      const { id, body } = base(m.user, m.chat, undefined);
      return push(
        "aibot_msg_callback",
        {
          ...body,
          msgtype: "image",
          image: { url: "https://ww-aibot-img.example/enc", aeskey: "a".repeat(43) },
        },
        m.chat ?? m.user,
        id,
      );
    },
    /** The member opens the bot's single chat for the first time today. */
    enterChat(user: string): string {
      const { id, body } = base(user, undefined, undefined);
      return push(
        "aibot_event_callback",
        { ...body, msgtype: "event", event: { eventtype: "enter_chat" } },
        user,
        id,
      );
    },
    /** From now on replies on a callback's req_id are refused, as after its reply window. */
    refuseReplies(on = true) {
      refuseReplies = on;
    },
    /** Drops the bot's connection without a close handshake, like a network failure. */
    dropConnection() {
      socket?.terminate();
      socket = undefined;
    },
    inChat(chat: string) {
      return delivered.filter((d) => d.chat === chat);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

export type WecomServer = Awaited<ReturnType<typeof startWecomServer>>;
