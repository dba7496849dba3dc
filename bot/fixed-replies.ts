import { toChineseNumber } from "../knowledge/chinese-numerals.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { GuardVerdict } from "./input-guard.ts";

export const EMPTY_MESSAGE =
  "您好，请直接用文字输入您想咨询的问题，例如：物业能因为欠物业费停我家的水吗？";

export const UNSUPPORTED_ATTACHMENT =
  "我目前只能读文字消息，图片、语音、表情和链接看不了。请用文字简单描述您的问题，我来帮您查条文或登记投诉。";

export const TRUNCATED_NOTE = "（您的消息较长，我先按前面的内容回答。）";

export const NO_SOURCE =
  "我在收录的法规和平顶山市整治方案里没有找到直接相关的规定。建议拨打 12345 政务服务热线，或向所在街道办事处、区县物业管理主管部门咨询。";

export const REFUSALS: Record<
  Exclude<GuardVerdict["kind"], "ok" | "empty" | "placeholder">,
  string
> = {
  injection:
    "这个请求我不能照办。我只根据收录的法规条文回答物业管理方面的问题，也不会透露内部设置。您可以直接问物业收费、业委会、维修资金、小区安全等问题。",
  fabrication:
    "我不能编造条文、文件、签名或事实，也不能冒充任何机构或个人。如果您遇到了真实的问题，可以告诉我具体情况，我帮您查依据或登记投诉。",
  personal_data:
    "我不能查询或提供他人的电话、住址、身份证等个人信息。如有纠纷，可以通过物业、业委会、社区或 12345 热线反映，必要时向派出所求助。",
  unlawful:
    "这个我不能帮忙：破解、偷用、私自改动设施或逃避法律责任的做法可能违法。遇到纠纷，可以找物业、业委会、社区协商，或拨打 12345 热线、12348 法律援助热线咨询。",
  abuse:
    "我不能帮忙辱骂、威胁或针对任何人。有矛盾建议先冷静沟通，也可以请社区、街道调解，或拨打 12345 热线反映。",
};

export const FULL_TEXT_FIRST = "请先提一个问题，我回答后，回复「全文」就能看到所引条文的原文。";

/** An article the index does not hold: say so plainly, and that an excerpt may simply not include it. */
export function missingArticleText(
  kb: KnowledgeBase,
  missing: { docId: string; unit: string },
): string {
  const meta = kb.document(missing.docId);
  const title = meta ? `《${meta.title.replace(/（节选）$/, "")}》` : "该文件";
  const n = Number(missing.unit);
  const label =
    Number.isInteger(n) && n > 0 && n < 10_000 ? `第${toChineseNumber(n)}条` : missing.unit;
  const excerpt = meta?.title.endsWith("（节选）")
    ? `我收录的只是${title}中与物业管理有关的部分，不包括${label}。`
    : `${title}没有${label}。`;
  return `${excerpt}请核对条文编号，或直接描述您遇到的问题，我来查相关规定。`;
}

/** A document the index does not hold: nothing is said of its content, and what is held is named. */
export function unknownSourceText(kb: KnowledgeBase, names: string[]): string {
  const held = kb.documents.map((d) => `《${d.meta.title.replace(/（节选）$/, "")}》`).join("、");
  return `我没有收录${names.join("、")}，不能确认它的内容。我能引用的是：${held}。您可以直接描述遇到的问题，我按这些规定回答。`;
}

/** Before an answer to a question about someone trapped, a fire or gas: the numbers to ring. */
export const SAFETY_FIRST = "如有人被困、起火或闻到燃气味，请先拨打 119 或 110。";
/** Someone hurt: an ambulance first, and the police where someone else caused it. */
export const INJURY_FIRST = "有人受伤请先拨打 120 急救；有人伤人或查不到肇事者的，拨打 110 报警。";
