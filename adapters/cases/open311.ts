import { z } from "zod";
import { CATEGORIES, type CaseStatus, type Category, type FiledCase } from "../../bot/complaint.ts";
import type { CaseBackend, DeliveryResult, RemoteUpdate } from "./case-backend.ts";
import {
  deliveryFailure,
  type HttpFailure,
  type HttpOutcome,
  parseJson,
  sendHttp,
  truncate,
} from "./http-delivery.ts";

export const Open311ConfigSchema = z.object({
  /** Base URL of the GeoReport v2 API, e.g. http://127.0.0.1:8080/open311/v2/. */
  endpoint: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
  jurisdictionId: z.string().min(1).optional(),
  /** Our category → the server's service_code; a category not listed is sent as its own name. */
  serviceCodes: z.partialRecord(z.enum(CATEGORIES), z.string().min(1)).optional(),
  timeoutMs: z.number().int().positive().optional(),
});
export type Open311Config = z.infer<typeof Open311ConfigSchema>;

/** Open311 caps description at 4000 characters. */
export const MAX_DESCRIPTION_CHARS = 4000;

/** The bot only serves 平顶山市; used when a case names neither district, community nor location. */
const FALLBACK_ADDRESS = "平顶山市";

const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** A service request as `GET requests/{id}.json` reports it. */
export interface Open311Request {
  serviceRequestId: string;
  /** The server's own word: "open", "closed", … */
  status: string;
  statusNotes?: string;
  /** Our status for that word, when it is one we know. */
  caseStatus?: CaseStatus;
  updatedAt?: string;
}

const ServiceListSchema = z.array(
  z.looseObject({
    service_code: z.union([z.string(), z.number()]).transform(String),
    metadata: z.union([z.boolean(), z.string()]).optional(),
  }),
);

const AttributeSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).transform(String),
  variable: z.union([z.boolean(), z.string()]).optional(),
  values: z
    .array(
      z.looseObject({
        key: z.union([z.string(), z.number()]).transform(String),
        name: z.string().optional(),
      }),
    )
    .optional(),
});
type Attribute = z.infer<typeof AttributeSchema>;

const DefinitionSchema = z.looseObject({ attributes: z.array(AttributeSchema).optional() });

const IdOrToken = z.union([z.string(), z.number()]).transform(String).nullish();
const PostAnswerSchema = z.array(
  z.looseObject({
    service_request_id: IdOrToken,
    token: IdOrToken,
    description: z.string().optional(),
  }),
);

const RequestAnswerSchema = z.array(
  z.looseObject({
    service_request_id: z.union([z.string(), z.number()]).transform(String),
    status: z.string(),
    status_notes: z.string().nullish(),
    updated_datetime: z.string().nullish(),
  }),
);

const UpdateSchema = z.looseObject({
  update_id: z.union([z.string(), z.number()]).transform(String),
  service_request_id: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  description: z.string().nullish(),
  updated_datetime: z.string().nullish(),
});

const STATUS_MAP: Record<string, CaseStatus> = {
  open: "in_progress",
  investigating: "in_progress",
  "in progress": "in_progress",
  "action scheduled": "in_progress",
  fixed: "resolved",
  resolved: "resolved",
  closed: "closed",
  duplicate: "duplicate",
  "not responsible": "rejected",
  rejected: "rejected",
  "unable to fix": "rejected",
};

/**
 * Maps an Open311 / FixMyStreet status word to ours; undefined for words we don't know.
 * FixMyStreet spells them IN_PROGRESS, NOT_RESPONSIBLE…, so case and separators are ignored.
 */
export function mapOpen311Status(status: string): CaseStatus | undefined {
  const word = status.toLowerCase().replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
  return STATUS_MAP[word];
}

/** Our fields by the attribute code a server may declare for them. */
function attributeValues(filed: FiledCase): Record<string, string | undefined> {
  const c = filed.complaint;
  return {
    case_id: filed.id,
    case_number: filed.number,
    district: c.district ?? undefined,
    community: c.community ?? undefined,
    urgency: c.urgency,
    legal_basis: c.legal_basis.length > 0 ? c.legal_basis.join(",") : undefined,
    company: c.company ?? undefined,
    location: c.location ?? undefined,
    occurred_at: c.occurredAt ?? undefined,
    anonymous: String(c.anonymous),
  };
}

/** For list attributes the server wants its key; accept our value as either its key or its name. */
function listValue(attribute: Attribute, value: string): string {
  const match = attribute.values?.find((v) => v.key === value || v.name === value);
  return match ? match.key : value;
}

function isTrue(flag: boolean | string | undefined): boolean {
  return flag === true || flag === "true";
}

interface Cached<T> {
  value: T;
  at: number;
}

/** Files cases with an Open311 GeoReport v2 server (with the FixMyStreet updates extension). */
export class Open311Backend implements CaseBackend {
  readonly name = "open311";
  private readonly config: Open311Config;
  private readonly base: string;
  private services: Cached<z.infer<typeof ServiceListSchema>> | undefined;
  private readonly definitions = new Map<string, Cached<Attribute[]>>();
  private cursor: string | undefined;

  constructor(config: Open311Config) {
    this.config = Open311ConfigSchema.parse(config);
    // Relative paths resolve under the endpoint only when it ends in "/".
    this.base = this.config.endpoint.endsWith("/")
      ? this.config.endpoint
      : `${this.config.endpoint}/`;
  }

  serviceCodeFor(category: Category | null): string {
    const ours = category ?? "other";
    return this.config.serviceCodes?.[ours] ?? ours;
  }

  async deliver(filed: FiledCase, idempotencyKey: string): Promise<DeliveryResult> {
    const serviceCode = this.serviceCodeFor(filed.complaint.category);
    const declared = await this.declaredAttributes(serviceCode);
    if (!Array.isArray(declared)) return declared;

    const form = this.requestForm(filed, serviceCode, declared);
    const res = await sendHttp(
      this.url("requests.json"),
      {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
          Accept: "application/json",
          // Not part of Open311; servers that honour it can drop a repeated delivery.
          "Idempotency-Key": idempotencyKey,
        },
        body: form.toString(),
      },
      this.config.timeoutMs,
    );
    if (res.outcome !== "ok") return deliveryFailure(res);

    const answer = PostAnswerSchema.safeParse(parseJson(res.body));
    const first = answer.success ? answer.data[0] : undefined;
    // The server accepted the case; an answer we can't read must not cause a duplicate by retrying.
    if (!first) return { outcome: "delivered" };
    if (!first.service_request_id && !first.token && first.description) {
      return { outcome: "permanent", reason: first.description };
    }
    return {
      outcome: "delivered",
      ...(first.service_request_id ? { remoteId: first.service_request_id } : {}),
      ...(first.token ? { token: first.token } : {}),
    };
  }

  /** The form body of `POST requests.json`. */
  private requestForm(
    filed: FiledCase,
    serviceCode: string,
    declared: Attribute[],
  ): URLSearchParams {
    const c = filed.complaint;
    const form = new URLSearchParams();
    form.set("api_key", this.config.apiKey);
    if (this.config.jurisdictionId) form.set("jurisdiction_id", this.config.jurisdictionId);
    form.set("service_code", serviceCode);
    const address = [c.district, c.community, c.location].filter((p) => p?.trim()).join(" ");
    form.set("address_string", address || FALLBACK_ADDRESS);
    form.set("description", truncate(c.description, MAX_DESCRIPTION_CHARS));

    const values = attributeValues(filed);
    // case_id lets the server (and staff) tie the request back to our casebook, declared or not.
    form.set("attribute[case_id]", filed.id);
    for (const attribute of declared) {
      // variable=false marks an informational attribute that takes no value.
      if (attribute.code === "case_id" || String(attribute.variable) === "false") continue;
      const value = values[attribute.code];
      if (value !== undefined && value !== "") {
        form.set(`attribute[${attribute.code}]`, listValue(attribute, value));
      }
    }

    // Contact is collected only with consent; an anonymous case never carries it out.
    if (!c.anonymous && c.contact) {
      if (c.contact.name) form.set("first_name", c.contact.name);
      if (c.contact.phone) form.set("phone", c.contact.phone);
    }
    return form;
  }

  async resolveToken(token: string): Promise<string | undefined> {
    const res = await this.get(`tokens/${encodeURIComponent(token)}.json`);
    if (res.outcome !== "ok") {
      // Some servers answer 404 until the request has an id.
      if (res.outcome === "permanent" && res.status === 404) return undefined;
      throw new Error(`查询令牌 ${token} 失败：${res.reason}`);
    }
    const answer = PostAnswerSchema.safeParse(parseJson(res.body));
    return (answer.success && answer.data[0]?.service_request_id) || undefined;
  }

  /** The server's current status of one request; undefined when the server has no such request. */
  async getRequest(id: string): Promise<Open311Request | undefined> {
    const res = await this.get(`requests/${encodeURIComponent(id)}.json`);
    if (res.outcome !== "ok") {
      if (res.outcome === "permanent" && res.status === 404) return undefined;
      throw new Error(`查询工单 ${id} 失败：${res.reason}`);
    }
    const answer = RequestAnswerSchema.safeParse(parseJson(res.body));
    if (!answer.success) throw new Error(`工单 ${id} 的答复格式无法识别`);
    const first = answer.data[0];
    if (!first) return undefined;
    const caseStatus = mapOpen311Status(first.status);
    return {
      serviceRequestId: first.service_request_id,
      status: first.status,
      ...(first.status_notes ? { statusNotes: first.status_notes } : {}),
      ...(caseStatus ? { caseStatus } : {}),
      ...(first.updated_datetime ? { updatedAt: first.updated_datetime } : {}),
    };
  }

  /**
   * Updates since `since` (or since the newest one seen before, when not given). Unknown
   * statuses and malformed entries are skipped; each update_id appears at most once.
   */
  async fetchUpdates(since: string | undefined): Promise<RemoteUpdate[]> {
    const start = since ?? this.cursor;
    const query: Record<string, string> = { api_key: this.config.apiKey };
    if (start) {
      const parsed = Date.parse(start);
      query.start_date = Number.isNaN(parsed) ? start : new Date(parsed).toISOString();
    }
    const res = await this.get("servicerequestupdates.json", query);
    if (res.outcome !== "ok") throw new Error(`获取处理进展失败：${res.reason}`);

    const parsed = parseJson(res.body);
    const list =
      parsed !== null && typeof parsed === "object" && "service_request_updates" in parsed
        ? parsed.service_request_updates
        : parsed;
    if (!Array.isArray(list)) throw new Error("处理进展的答复格式无法识别");

    const seen = new Set<string>();
    const updates: RemoteUpdate[] = [];
    for (const raw of list) {
      const entry = UpdateSchema.safeParse(raw);
      if (!entry.success || seen.has(entry.data.update_id)) continue;
      const status = mapOpen311Status(entry.data.status);
      if (!status) continue;
      seen.add(entry.data.update_id);
      const stamped = entry.data.updated_datetime;
      updates.push({
        updateId: entry.data.update_id,
        remoteId: entry.data.service_request_id,
        status,
        ...(entry.data.description ? { description: entry.data.description } : {}),
        at: stamped ?? new Date().toISOString(),
      });
      // Only the server's clock may move the cursor; ours could skip its later-stamped updates.
      if (stamped && (!this.cursor || Date.parse(stamped) > Date.parse(this.cursor))) {
        this.cursor = stamped;
      }
    }
    return updates;
  }

  /** Attribute definitions for a service code, or the failure that stopped us learning them. */
  private async declaredAttributes(serviceCode: string): Promise<Attribute[] | HttpFailure> {
    const now = Date.now();
    const cachedDefinition = this.definitions.get(serviceCode);
    if (cachedDefinition && now - cachedDefinition.at < DISCOVERY_TTL_MS) {
      return cachedDefinition.value;
    }

    if (!this.services || now - this.services.at >= DISCOVERY_TTL_MS) {
      const res = await this.get("services.json");
      if (res.outcome !== "ok") return deliveryFailure(res, "获取服务列表失败：");
      const list = ServiceListSchema.safeParse(parseJson(res.body));
      // Nothing was sent yet, so trying again later is harmless.
      if (!list.success) return { outcome: "retry", reason: "服务列表格式无法识别" };
      this.services = { value: list.data, at: now };
    }

    const service = this.services.value.find((s) => s.service_code === serviceCode);
    // A code missing from the list is asked about directly: the server's own 404 names the problem.
    if (service && !isTrue(service.metadata)) {
      this.definitions.set(serviceCode, { value: [], at: now });
      return [];
    }
    const res = await this.get(`services/${encodeURIComponent(serviceCode)}.json`);
    if (res.outcome !== "ok") {
      return deliveryFailure(res, `获取服务“${serviceCode}”的定义失败：`);
    }
    const definition = DefinitionSchema.safeParse(parseJson(res.body));
    if (!definition.success) {
      return { outcome: "retry", reason: `服务“${serviceCode}”的定义格式无法识别` };
    }
    const attributes = definition.data.attributes ?? [];
    this.definitions.set(serviceCode, { value: attributes, at: now });
    return attributes;
  }

  private jurisdiction(): Record<string, string> {
    return this.config.jurisdictionId ? { jurisdiction_id: this.config.jurisdictionId } : {};
  }

  private url(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  private get(path: string, query: Record<string, string> = {}): Promise<HttpOutcome> {
    const url = this.url(path, { ...this.jurisdiction(), ...query });
    return sendHttp(url, { headers: { Accept: "application/json" } }, this.config.timeoutMs);
  }
}
