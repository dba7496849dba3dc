import { CATEGORY_LABELS, type Complaint, URGENCY_LABELS } from "../complaint.ts";
import { maskPhones } from "../privacy.ts";

const CLIP = 120;

/** The plain-text summary a resident confirms before filing. */
export function complaintSummary(draft: Complaint): string {
  const description = maskPhones(draft.description);
  const contact = draft.anonymous
    ? "匿名（不向任何人透露您的身份）"
    : draft.contact
      ? [draft.contact.name, draft.contact.phone ? maskPhones(draft.contact.phone) : null]
          .filter(Boolean)
          .join(" ")
          .concat("（仅工作人员回访用）")
      : "未留（需要工作人员回访的话，直接发称呼和手机号，只有处理投诉的工作人员能看到；想匿名就回复「匿名」）";
  const lines = [
    "请核对您的投诉：",
    `类别：${draft.category ? CATEGORY_LABELS[draft.category] : "待工作人员确定"}`,
    `区县：${draft.district ?? "未提供"}`,
    `小区：${draft.community ?? "未提供"}${draft.location ? `（${draft.location}）` : ""}`,
    `情况：${description.length > CLIP ? `${description.slice(0, CLIP)}……` : description}`,
  ];
  if (draft.company) lines.push(`物业公司：${draft.company}`);
  if (draft.occurredAt) lines.push(`时间：${draft.occurredAt}`);
  if (draft.evidence.length > 0) lines.push(`证据：${draft.evidence.length} 个附件`);
  lines.push(`紧急程度：${URGENCY_LABELS[draft.urgency]}`, `联系方式：${contact}`);
  lines.push("回复「确认」提交；要修改请直接说，如「小区是某某花园」；回复「算了」取消。");
  return lines.join("\n");
}
