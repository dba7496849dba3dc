import type { Complaint } from "../bot/complaint.ts";
import type { Engine } from "../bot/engine.ts";
import type { ItemFailure } from "./answer-eval.ts";
import type { ComplaintItem } from "./dataset.ts";
import { mean, round } from "./metrics.ts";

export interface ComplaintReport {
  n: number;
  category_accuracy: number;
  district_accuracy: number;
  community_accuracy: number;
  urgency_accuracy: number;
  anonymous_accuracy: number;
}

/** CONTRACTS §5: white space removed and one trailing 小区 stripped; null matches only null. */
export function sameCommunity(a: string | null | undefined, b: string | null): boolean {
  const norm = (s: string) => s.replace(/\s/g, "").replace(/小区$/, "");
  if (a === null || a === undefined || b === null) return (a ?? null) === b;
  return norm(a) === norm(b);
}

/**
 * Feeds each conversation's turns into one private chat, then compares the
 * draft the bot holds, or, once the resident confirmed, the complaint it
 * filed. Neither is wrong on every field: an expected null does not match a
 * complaint that was never taken down.
 */
export async function evaluateComplaints(
  items: ComplaintItem[],
  engine: Engine,
  filedFrom: (senderId: string) => Complaint | undefined = () => undefined,
) {
  const fields = {
    category: [] as number[],
    district: [] as number[],
    community: [] as number[],
    urgency: [] as number[],
    anonymous: [] as number[],
  };
  const latencies: number[] = [];
  const failures: ItemFailure[] = [];
  for (const item of items) {
    const senderId = `eval-${item.id}`;
    for (const turn of item.turns) {
      const t0 = performance.now();
      await engine.handle({
        platform: "eval",
        conversationId: senderId,
        chatType: "private",
        senderId,
        text: turn,
      });
      latencies.push(performance.now() - t0);
    }
    const draft = (await engine.draftFor("eval", senderId))?.draft ?? filedFrom(senderId);
    const e = item.expected;
    const got = {
      category: draft !== undefined && draft.category === e.category,
      district: draft !== undefined && (draft.district ?? null) === e.district,
      community: draft !== undefined && sameCommunity(draft.community ?? null, e.community),
      urgency: draft !== undefined && draft.urgency === e.urgency,
      anonymous: draft !== undefined && draft.anonymous === e.anonymous,
    };
    for (const [k, ok] of Object.entries(got)) {
      fields[k as keyof typeof fields].push(ok ? 1 : 0);
      if (!ok)
        failures.push({
          id: item.id,
          detail: `${k}\tgot ${draft ? String(draft[k as keyof typeof draft]) : "no draft"}\twant ${String(e[k as keyof typeof e])}`,
        });
    }
  }
  const report: ComplaintReport = {
    n: items.length,
    category_accuracy: round(mean(fields.category)),
    district_accuracy: round(mean(fields.district)),
    community_accuracy: round(mean(fields.community)),
    urgency_accuracy: round(mean(fields.urgency)),
    anonymous_accuracy: round(mean(fields.anonymous)),
  };
  return { report, latencies, failures };
}
