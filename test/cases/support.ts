import type { Complaint, FiledCase } from "../../bot/complaint.ts";

/** A filed case built by hand; override any complaint field. */
export function filedCase(complaint: Partial<Complaint> = {}, id = "case-0001"): FiledCase {
  return {
    id,
    number: "PDS-20261125-0007",
    complaint: {
      category: "safety",
      district: "卫东区",
      community: "鹰城花园",
      urgency: "high",
      anonymous: false,
      legal_basis: ["pds-plan-2024:2.3", "prc-civil-code:286"],
      description: "3号楼楼道里长期有电动车飞线充电，物业一直不管。",
      location: "3号楼",
      company: "鹰城物业服务有限公司",
      occurredAt: "上个月",
      contact: { name: "王女士", phone: "13800000000" },
      evidence: [],
      ...complaint,
    },
    origin: {
      platform: "test",
      privateConversationId: "dm-1",
      senderId: "resident-1",
    },
    transcript: [{ role: "resident", text: "楼道里有人飞线充电", at: "2026-11-25T08:00:00.000Z" }],
    status: "new",
    createdAt: "2026-11-25T08:00:00.000Z",
  };
}

export { listen } from "../helpers/listen.ts";

/** Resolves once `check` holds, polling; rejects after `timeoutMs` with `what` in the message. */
export async function waitUntil(
  check: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
