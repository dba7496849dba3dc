/**
 * A fake OpenAI-compatible endpoint on 127.0.0.1 for tests.
 *
 *   const server = await startOpenAIServer();
 *   const model = new OpenAIChatModel({ baseURL: server.baseURL, model: "test", timeoutMs: 5000 });
 *   server.enqueue({ content: '{"answer":"…"}' }, { status: 500 }, { hang: true }, { rawBody: "not json" });
 *   // …each chat completion takes the next behaviour; then assert on what was sent:
 *   expect(server.chatRequests()[0]?.messages?.[1]?.content).not.toMatch(/1[3-9]\d{9}/);
 *   await server.close(); // also ends requests left hanging
 *
 * Chat completions take behaviours from the queue first, then from `script(handler)`;
 * with neither, they answer HTTP 500 "nothing enqueued" so a forgotten setup fails loudly.
 * Embeddings always answer with deterministic vectors (64 dimensions, or the
 * request's `dimensions`): similar texts get similar vectors.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

export type Behaviour =
  /** A normal completion whose message content is this string. */
  | { content: string }
  /** An error response in OpenAI's shape, e.g. { status: 500 } or { status: 429, message: "rate limited" }. */
  | { status: number; message?: string }
  /** Never answers, until the client gives up or the server closes. */
  | { hang: true }
  /** A 200 labelled application/json whose body is this text verbatim (e.g. malformed JSON). */
  | { rawBody: string };

export interface RecordedBody {
  model?: string;
  messages?: { role: string; content: string }[];
  response_format?: { type: string };
  temperature?: number;
  input?: string | string[];
  dimensions?: number;
  encoding_format?: string;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  /** The request body as sent; parsed JSON (or {} when it was not JSON). */
  body: RecordedBody;
  raw: string;
}

export interface OpenAIServer {
  /** Ends with /v1, ready for `new OpenAI({ baseURL })`. */
  baseURL: string;
  /** Every request received, in order, for both endpoints. */
  requests: RecordedRequest[];
  /** Bodies of chat completion requests only. */
  chatRequests(): RecordedBody[];
  /** Bodies of embeddings requests only. */
  embeddingRequests(): RecordedBody[];
  /** Queues behaviours for the next chat completions, one each. */
  enqueue(...behaviours: Behaviour[]): void;
  /** Decides chat completions once the queue is empty, e.g. from the prompt. */
  script(handler: (body: RecordedBody) => Behaviour): void;
  close(): Promise<void>;
}

const DEFAULT_DIMENSIONS = 64;

export async function startOpenAIServer(): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];
  let handler: ((body: RecordedBody) => Behaviour) | undefined;
  const hanging = new Set<() => void>();
  let completions = 0;

  const app = new Hono<{ Variables: { body: RecordedBody } }>();

  app.use("*", async (c, next) => {
    const raw = await c.req.text();
    let body: RecordedBody = {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null) body = parsed as RecordedBody;
    } catch {
      // Recorded as {}; `raw` still holds what was sent.
    }
    requests.push({ path: c.req.path, headers: c.req.header(), body, raw });
    c.set("body", body);
    await next();
  });

  app.post("/v1/chat/completions", async (c) => {
    const body = c.get("body");
    const behaviour = queue.shift() ??
      handler?.(body) ?? { status: 500, message: "openai-server: nothing enqueued or scripted" };
    if ("hang" in behaviour) {
      await new Promise<void>((resolve) => {
        const release = () => {
          hanging.delete(release);
          resolve();
        };
        hanging.add(release);
        c.req.raw.signal.addEventListener("abort", release, { once: true });
      });
      return c.json({ error: { message: "openai-server: closed while hanging" } }, 503);
    }
    if ("rawBody" in behaviour) {
      return c.body(behaviour.rawBody, 200, { "content-type": "application/json" });
    }
    if ("status" in behaviour) {
      return new Response(
        JSON.stringify({
          error: {
            message: behaviour.message ?? `openai-server: scripted HTTP ${behaviour.status}`,
            type: "server_error",
            param: null,
            code: null,
          },
        }),
        { status: behaviour.status, headers: { "content-type": "application/json" } },
      );
    }
    completions += 1;
    const promptTokens = (body.messages ?? []).reduce((n, m) => n + String(m.content).length, 0);
    return c.json({
      id: `chatcmpl-test-${completions}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? "test-model",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: behaviour.content, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: behaviour.content.length,
        total_tokens: promptTokens + behaviour.content.length,
      },
    });
  });

  app.post("/v1/embeddings", (c) => {
    const body = c.get("body");
    const inputs = typeof body.input === "string" ? [body.input] : (body.input ?? []);
    const dimensions = body.dimensions ?? DEFAULT_DIMENSIONS;
    const tokens = inputs.reduce((n, t) => n + t.length, 0);
    return c.json({
      object: "list",
      data: inputs.map((text, index) => {
        const vector = bigramVector(text, dimensions);
        return {
          object: "embedding",
          index,
          embedding:
            body.encoding_format === "base64"
              ? Buffer.from(new Float32Array(vector).buffer).toString("base64")
              : vector,
        };
      }),
      model: body.model ?? "test-embedding",
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ server: s as Server, port: info.port }),
    );
  });

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body),
    embeddingRequests: () => requests.filter((r) => r.path === "/v1/embeddings").map((r) => r.body),
    enqueue: (...behaviours) => {
      queue.push(...behaviours);
    },
    script: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of [...hanging]) release();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and half-answered requests would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Hashed character bigrams (with edge markers, so one-character texts count too), unit length. */
function bigramVector(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = [...`\u0002${text}\u0003`];
  for (let i = 0; i + 1 < chars.length; i++) {
    const h = fnv1a(`${chars[i]}${chars[i + 1]}`);
    v[h % dimensions] = (v[h % dimensions] ?? 0) + (h & 0x80000000 ? -1 : 1);
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
