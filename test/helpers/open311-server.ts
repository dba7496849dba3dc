/**
 * A real, in-memory Open311 GeoReport v2 server on 127.0.0.1 (random port) for tests.
 *
 *   const server = await startOpen311Server();              // { endpoint, apiKey, … }
 *   const backend = new Open311Backend({ endpoint: server.endpoint, apiKey: server.apiKey });
 *   await backend.deliver(filed, "key-1");
 *   server.findCase(filed.id)      // the accepted POST: { fields, attributes, serviceRequestId, … }
 *   server.posts                   // every POST requests.json received, with the status answered
 *   server.hits                    // every request as "GET /open311/v2/services.json", …
 *   server.failNext(3, 500)        // the next 3 POSTs answer 500
 *   server.rejectNext(400, "…")    // the next POST answers 400 [{"code":400,"description":"…"}]
 *   server.tokenMode(true)         // POSTs answer [{"token"}]; ids exist only after assignIds()
 *   server.addUpdate(id, "closed", "已维修")  // a servicerequestupdates.json entry; returns update_id
 *   server.holdNext()              // the next accepted POST is stored but not answered until
 *                                  // releaseHeld() or close(): a response lost in a crash
 *   server.requestsFor(caseId)     // the stored requests carrying that case_id (one, if deduplicated)
 *   await server.close()
 *
 * Services: one per category, service_code = category name, with attributes case_id (required),
 * case_number, district, community, urgency (a list of URGENCIES), legal_basis. POSTs are checked
 * like a strict server would: form encoding, api_key (403), known service_code (404), case_id,
 * a location and a description of at most 4000 characters (400). A repeated POST for a case_id
 * already stored is answered with the existing request (marked `repeat`) and stores nothing new,
 * as a server honouring idempotent redelivery would.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { CATEGORIES, CATEGORY_LABELS, URGENCIES, URGENCY_LABELS } from "../../bot/complaint.ts";

export interface ReceivedPost {
  /** Every form field except attributes: api_key, service_code, address_string, description, … */
  fields: Record<string, string>;
  /** `attribute[code]=value` pairs, keyed by code. */
  attributes: Record<string, string>;
  contentType: string;
  idempotencyKey: string | undefined;
  /** The HTTP status the server answered with. */
  status: number;
  serviceRequestId?: string;
  token?: string;
  /** True when the case_id was already stored: answered with the existing request. */
  repeat?: boolean;
}

export interface StoredRequest {
  serviceRequestId: string | undefined;
  token: string | undefined;
  post: ReceivedPost;
  /** Open311 request status. */
  status: "open" | "closed";
  statusNotes: string | undefined;
  requestedAt: string;
  updatedAt: string;
}

export interface StoredUpdate {
  update_id: string;
  service_request_id: string;
  status: string;
  description: string;
  updated_datetime: string;
}

export interface Open311Server {
  /** Base URL ending in "/open311/v2/". */
  endpoint: string;
  apiKey: string;
  posts: ReceivedPost[];
  /** Every request as "METHOD /path?query", in arrival order. */
  hits: string[];
  /** Accepted requests, in arrival order. */
  requests: StoredRequest[];
  updates: StoredUpdate[];
  /** The accepted POST carrying `attribute[case_id]=caseId`, if any. */
  findCase(caseId: string): ReceivedPost | undefined;
  failNext(count: number, status: number): void;
  rejectNext(status: number, description: string): void;
  tokenMode(on: boolean): void;
  /** Gives every request filed in token mode its service_request_id. */
  assignIds(): void;
  /** Stores the next accepted POST but withholds its answer until releaseHeld() or close(). */
  holdNext(): void;
  releaseHeld(): void;
  /** Stored requests whose POST carried `attribute[case_id]=caseId`. */
  requestsFor(caseId: string): StoredRequest[];
  addUpdate(
    serviceRequestId: string,
    status: string,
    description: string,
    options?: { updateId?: string; at?: string },
  ): string;
  close(): Promise<void>;
}

export const OPEN311_ATTRIBUTES = [
  "case_id",
  "case_number",
  "district",
  "community",
  "urgency",
  "legal_basis",
] as const;

const MAX_DESCRIPTION = 4000;
const CLOSED_WORDS = ["closed", "fixed", "resolved", "duplicate", "not responsible", "rejected"];

function serviceDefinition(code: string) {
  return {
    service_code: code,
    attributes: OPEN311_ATTRIBUTES.map((attribute, i) => ({
      variable: true,
      code: attribute,
      datatype: attribute === "urgency" ? "singlevaluelist" : "string",
      required: attribute === "case_id",
      datatype_description: "",
      order: i + 1,
      description: attribute,
      ...(attribute === "urgency"
        ? { values: URGENCIES.map((u) => ({ key: u, name: URGENCY_LABELS[u] })) }
        : {}),
    })),
  };
}

function error(c: Context, status: 400 | 403 | 404, description: string) {
  return c.json([{ code: status, description }], status);
}

export async function startOpen311Server(
  options: { apiKey?: string } = {},
): Promise<Open311Server> {
  const apiKey = options.apiKey ?? "test-api-key";
  const posts: ReceivedPost[] = [];
  const requests: StoredRequest[] = [];
  const updates: StoredUpdate[] = [];
  const failures: number[] = [];
  let rejection: { status: number; description: string } | undefined;
  let useTokens = false;
  let nextId = 1001;
  let nextToken = 1;
  let nextUpdate = 1;
  let holds = 0;
  const held: (() => void)[] = [];
  const releaseHeld = () => {
    for (const release of held.splice(0)) release();
  };
  const services = new Set<string>(CATEGORIES);

  const hits: string[] = [];
  const app = new Hono().basePath("/open311/v2");
  app.use(async (c, next) => {
    const url = new URL(c.req.url);
    hits.push(`${c.req.method} ${url.pathname}${url.search}`);
    await next();
  });

  app.get("/services.json", (c) =>
    c.json(
      CATEGORIES.map((code) => ({
        service_code: code,
        service_name: CATEGORY_LABELS[code],
        description: CATEGORY_LABELS[code],
        metadata: true,
        type: "realtime",
        keywords: "",
        group: "物业",
      })),
    ),
  );

  app.get("/services/:file", (c) => {
    const code = c.req.param("file").replace(/\.json$/, "");
    if (!services.has(code)) return error(c, 404, `未知的服务代码：${code}`);
    return c.json(serviceDefinition(code));
  });

  app.post("/requests.json", async (c) => {
    const contentType = c.req.header("content-type") ?? "";
    const form = new URLSearchParams(await c.req.text());
    const fields: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    for (const [key, value] of form) {
      const attribute = /^attribute\[(.+)\]$/.exec(key);
      if (attribute?.[1]) attributes[attribute[1]] = value;
      else fields[key] = value;
    }
    const post: ReceivedPost = {
      fields,
      attributes,
      contentType,
      idempotencyKey: c.req.header("idempotency-key"),
      status: 0,
    };
    posts.push(post);
    const answer = (status: number, body: unknown) => {
      post.status = status;
      return typeof body === "string"
        ? c.text(body, status as 500)
        : c.json(body, status as 200 | 400 | 403 | 404);
    };

    const failure = failures.shift();
    if (failure !== undefined) return answer(failure, "服务暂时不可用");
    if (rejection) {
      const { status, description } = rejection;
      rejection = undefined;
      return answer(status, [{ code: status, description }]);
    }
    const reject = (status: 400 | 403 | 404, description: string) =>
      answer(status, [{ code: status, description }]);
    if (!contentType.startsWith("application/x-www-form-urlencoded")) {
      return reject(400, "请求必须是表单编码");
    }
    if (fields.api_key !== apiKey) return reject(403, "api_key 无效");
    const code = fields.service_code ?? "";
    if (!services.has(code)) return reject(404, `未知的服务代码：${code}`);
    if (!attributes.case_id) return reject(400, "缺少必填属性 case_id");
    if (!fields.address_string && !(fields.lat && fields.long)) return reject(400, "缺少位置");
    if ((fields.description ?? "").length > MAX_DESCRIPTION) {
      return reject(400, `描述超过 ${MAX_DESCRIPTION} 字`);
    }

    const existing = requests.find((r) => r.post.attributes.case_id === attributes.case_id);
    if (existing) {
      post.repeat = true;
      if (existing.serviceRequestId) {
        post.serviceRequestId = existing.serviceRequestId;
        return answer(200, [{ service_request_id: existing.serviceRequestId }]);
      }
      post.token = existing.token;
      return answer(200, [{ token: existing.token }]);
    }

    const now = new Date().toISOString();
    const stored: StoredRequest = {
      serviceRequestId: useTokens ? undefined : String(nextId++),
      token: useTokens ? `token-${nextToken++}` : undefined,
      post,
      status: "open",
      statusNotes: undefined,
      requestedAt: now,
      updatedAt: now,
    };
    requests.push(stored);
    if (holds > 0) {
      holds--;
      await new Promise<void>((resolve) => held.push(resolve));
    }
    if (stored.token) {
      post.token = stored.token;
      return answer(201, [{ token: stored.token }]);
    }
    post.serviceRequestId = stored.serviceRequestId;
    return answer(201, [{ service_request_id: stored.serviceRequestId }]);
  });

  app.get("/requests/:file", (c) => {
    const id = c.req.param("file").replace(/\.json$/, "");
    const r = requests.find((s) => s.serviceRequestId === id);
    if (!r) return error(c, 404, `工单不存在：${id}`);
    return c.json([
      {
        service_request_id: r.serviceRequestId,
        status: r.status,
        status_notes: r.statusNotes ?? null,
        service_code: r.post.fields.service_code,
        description: r.post.fields.description,
        address: r.post.fields.address_string,
        requested_datetime: r.requestedAt,
        updated_datetime: r.updatedAt,
      },
    ]);
  });

  app.get("/tokens/:file", (c) => {
    const token = c.req.param("file").replace(/\.json$/, "");
    const r = requests.find((s) => s.token === token);
    if (!r) return error(c, 404, `令牌不存在：${token}`);
    return c.json([
      r.serviceRequestId ? { service_request_id: r.serviceRequestId, token } : { token },
    ]);
  });

  app.get("/servicerequestupdates.json", (c) => {
    if (c.req.query("api_key") !== apiKey) return error(c, 403, "api_key 无效");
    const start = c.req.query("start_date");
    const from = start ? Date.parse(start) : Number.NEGATIVE_INFINITY;
    if (Number.isNaN(from)) return error(c, 400, `start_date 无效：${start}`);
    const list = updates.filter((u) => Date.parse(u.updated_datetime) >= from);
    return c.json({ service_request_updates: list });
  });

  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ server: s as Server, port: info.port }),
    );
  });

  return {
    endpoint: `http://127.0.0.1:${port}/open311/v2/`,
    apiKey,
    posts,
    hits,
    requests,
    updates,
    findCase: (caseId) =>
      posts.find((p) => p.attributes.case_id === caseId && p.status >= 200 && p.status < 300),
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    rejectNext(status, description) {
      rejection = { status, description };
    },
    tokenMode(on) {
      useTokens = on;
    },
    assignIds() {
      for (const r of requests) {
        if (r.serviceRequestId) continue;
        r.serviceRequestId = String(nextId++);
        r.post.serviceRequestId = r.serviceRequestId;
      }
    },
    holdNext() {
      holds++;
    },
    releaseHeld,
    requestsFor: (caseId) => requests.filter((r) => r.post.attributes.case_id === caseId),
    addUpdate(serviceRequestId, status, description, opts = {}) {
      const at = opts.at ?? new Date().toISOString();
      const update: StoredUpdate = {
        update_id: opts.updateId ?? `u${nextUpdate++}`,
        service_request_id: serviceRequestId,
        status,
        description,
        updated_datetime: at,
      };
      updates.push(update);
      const r = requests.find((s) => s.serviceRequestId === serviceRequestId);
      if (r) {
        r.status = CLOSED_WORDS.includes(status.toLowerCase().replace(/_/g, " "))
          ? "closed"
          : "open";
        r.statusNotes = description;
        r.updatedAt = at;
      }
      return update.update_id;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        releaseHeld();
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
