import type { Engine } from "../../bot/engine.ts";
import type { Reply } from "../../bot/message.ts";

/** A resident's anonymous fees complaint, from first message to 确认. */
export const FEES_COMPLAINT_TURNS = [
  "物业把我家电给断了！就因为晚交了两个月物业费",
  "新华区鹰城花园6号楼",
  "匿名",
  "确认",
] as const;

export const FEES_COMPLAINT_DESCRIPTION = FEES_COMPLAINT_TURNS[0];

/** Tells the engine each turn in one private chat; returns the reply to the last. */
export async function tellInPrivate(
  engine: Engine,
  turns: readonly string[],
  who: { platform?: string; senderId: string },
): Promise<Reply> {
  let last: Reply | undefined;
  for (const text of turns) {
    last = await engine.handle({
      platform: who.platform ?? "test",
      conversationId: `dm-${who.senderId}`,
      chatType: "private",
      senderId: who.senderId,
      text,
    });
  }
  if (!last) throw new Error("no turns");
  return last;
}
