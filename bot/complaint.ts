import { z } from "zod";
import { loadCategoryActions } from "../knowledge/category-actions.ts";

/** The plan's six actions (平物管〔2024〕2号 二（一）–（六）) plus other (CONTRACTS §4). */
export const CATEGORIES = [
  "governance",
  "fees",
  "safety",
  "service_quality",
  "coverage",
  "misconduct",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  governance: "业主组织建设（业主大会、业委会、物管会）",
  fees: "物业收费",
  safety: "安全隐患",
  service_quality: "物业服务质量",
  coverage: "老旧小区无物业",
  misconduct: "物业违规行为（擅自撤离、拒不移交、强买强卖等）",
  other: "其他",
};

/**
 * The plan action each category belongs to; the complaint's legal basis
 * includes it when the unit is loaded. Reviewed data in knowledge/guides/.
 */
export const CATEGORY_PLAN_KEY: Partial<Record<Category, string>> = Object.freeze(
  loadCategoryActions(),
);

export const DISTRICTS = [
  "新华区",
  "卫东区",
  "湛河区",
  "石龙区",
  "舞钢市",
  "汝州市",
  "宝丰县",
  "叶县",
  "鲁山县",
  "郏县",
  "高新区",
  "城乡一体化示范区",
] as const;
export type District = (typeof DISTRICTS)[number];

export const URGENCIES = ["emergency", "high", "normal"] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Record<Urgency, string> = {
  emergency: "紧急（危及人身安全）",
  high: "较急（安全隐患或停水停电）",
  normal: "一般",
};

export const EvidenceSchema = z.object({
  kind: z.enum(["image", "voice", "video", "file", "sticker", "link", "other"]),
  ref: z.string().max(2000).optional(),
  at: z.string(),
});

/**
 * A complaint as the bot collects it (CONTRACTS §4 plus the details the
 * plan's ledger needs). The same schema validates a model's structured output.
 */
export const ComplaintSchema = z.object({
  category: z.enum(CATEGORIES).nullable(),
  district: z.enum(DISTRICTS).nullable(),
  community: z.string().max(64).nullable(),
  urgency: z.enum(URGENCIES),
  anonymous: z.boolean(),
  legal_basis: z.array(z.string()),
  description: z.string().max(4000),
  /** Where inside the community: 3号楼2单元、地下车库. */
  location: z.string().max(120).nullable(),
  /** The property company, when the resident named it. */
  company: z.string().max(80).nullable(),
  /** When it happened, as the resident said it (昨晚、上个月、2024年8月). */
  occurredAt: z.string().max(60).nullable(),
  /** Only collected in a private chat, and only with consent. */
  contact: z
    .object({
      name: z.string().max(40).nullable(),
      phone: z.string().max(20).nullable(),
    })
    .nullable(),
  evidence: z.array(EvidenceSchema),
});
export type Complaint = z.infer<typeof ComplaintSchema>;

export function emptyComplaint(): Complaint {
  return {
    category: null,
    district: null,
    community: null,
    urgency: "normal",
    anonymous: false,
    legal_basis: [],
    description: "",
    location: null,
    company: null,
    occurredAt: null,
    contact: null,
    evidence: [],
  };
}

export const CASE_STATUSES = [
  "new",
  "forwarded",
  "in_progress",
  "resolved",
  "closed",
  "rejected",
  "duplicate",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: "已登记，待工作人员审核",
  forwarded: "已转交主管部门",
  in_progress: "正在处理",
  resolved: "已处理",
  closed: "已办结",
  rejected: "未受理",
  duplicate: "与其他投诉合并处理",
};

/** Where a complaint came from, so status updates reach the same resident. */
export interface CaseOrigin {
  platform: string;
  /** The private chat the resident can be told in. */
  privateConversationId: string;
  senderId: string;
  /** The group the complaint started in, if any (never shown to staff with the contact). */
  groupConversationId?: string;
}

export interface TranscriptLine {
  role: "resident" | "bot";
  text: string;
  at: string;
}

/** What the casebook files and the delivery adapters send. */
export interface FiledCase {
  id: string;
  /** Shown to the resident and staff: PDS-20261125-0007. */
  number: string;
  complaint: Complaint;
  origin: CaseOrigin;
  transcript: TranscriptLine[];
  status: CaseStatus;
  createdAt: string;
}
