import { STATUS_LABELS } from "../complaint.ts";
import { type Draft, type EngineContext, plain, type Turn } from "./turn.ts";

const NO_CASES =
  "我这里没有查到您提交过的投诉。如果是通过其他渠道反映的，请向受理的部门查询；要登记新的投诉，直接告诉我发生了什么。";

/**
 * A resident asking after their own complaint: by number, or without one
 * (their open cases). Only the person who filed a case can read its status.
 */
export async function caseProgress(
  turn: Turn,
  ctx: EngineContext,
  caseNumber: string | undefined,
): Promise<Draft> {
  const desk = ctx.desk;
  const origin = { platform: turn.msg.platform, senderId: turn.msg.senderId };
  turn.conv.chat.progressTold = { at: turn.at };
  if (!desk) return plain("progress", NO_CASES);
  if (caseNumber) {
    const status = await desk.statusOf?.(caseNumber, origin);
    if (!status)
      return plain(
        "progress",
        `没有找到您提交的编号为 ${caseNumber} 的投诉。请核对编号；投诉只能由提交人本人查询。`,
      );
    return plain(
      "progress",
      `您的投诉（编号 ${caseNumber}）目前的状态：${STATUS_LABELS[status.status]}（更新于 ${status.updatedAt.slice(0, 10)}）。有新进展时我会主动告诉您。`,
    );
  }
  const cases = (await desk.casesOf?.(origin)) ?? [];
  if (cases.length === 0) return plain("progress", NO_CASES);
  const lines = cases
    .slice(0, 5)
    .map(
      (c) => `编号 ${c.number}：${STATUS_LABELS[c.status]}（更新于 ${c.updatedAt.slice(0, 10)}）`,
    );
  const more = cases.length > 5 ? `\n另有 ${cases.length - 5} 件较早的投诉。` : "";
  return plain(
    "progress",
    `您提交的投诉：\n${lines.join("\n")}${more}\n有新进展时我会主动告诉您。`,
  );
}
