import type { IncomingMessage, Reply } from "../bot/message.ts";
import type { DialogueItem } from "./dataset.ts";
import { checkTurn, withCase } from "./dialogue-check.ts";
import { mean, round } from "./metrics.ts";

export interface DialogueReport {
  n: number;
  turn_pass_rate: number;
  dialogue_pass_rate: number;
}

/** Where a dialogue's messages go: the engine in process, or the HTTP API. */
export type SendFn = (message: IncomingMessage) => Promise<Reply>;

export interface DialogueFailure {
  id: string;
  turn: number;
  kind: string;
  problems: string[];
}

/** The message a dialogue turn becomes: one resident, one conversation per dialogue. */
export function dialogueMessage(
  item: DialogueItem,
  text: string,
  platform = "eval",
): IncomingMessage {
  const resident = `resident-${item.id}`;
  return {
    platform,
    conversationId: item.chat === "group" ? `group-${item.id}` : resident,
    chatType: item.chat,
    senderId: resident,
    text,
    ...(item.group ? { group: item.group } : {}),
  };
}

/**
 * Plays each dialogue through one conversation and checks every turn's
 * expectations (CONTRACTS §3, §5). `{case}` becomes the last case number the
 * dialogue filed.
 */
export async function evaluateDialogues(items: DialogueItem[], send: SendFn) {
  const turnPass: number[] = [];
  const dialoguePass: number[] = [];
  const latencies: number[] = [];
  const failures: DialogueFailure[] = [];
  for (const item of items) {
    let lastCase: string | undefined;
    let allHeld = true;
    for (const [i, turn] of item.turns.entries()) {
      const t0 = performance.now();
      const reply = await send(dialogueMessage(item, withCase(turn.text, lastCase)));
      latencies.push(performance.now() - t0);
      if (reply.caseNumber) lastCase = reply.caseNumber;
      const problems = checkTurn(turn.expect, reply, lastCase);
      turnPass.push(problems.length === 0 ? 1 : 0);
      if (problems.length > 0) {
        allHeld = false;
        failures.push({ id: item.id, turn: i + 1, kind: reply.kind, problems });
      }
    }
    dialoguePass.push(allHeld ? 1 : 0);
  }
  const report: DialogueReport = {
    n: items.length,
    turn_pass_rate: round(mean(turnPass)),
    dialogue_pass_rate: round(mean(dialoguePass)),
  };
  return { report, latencies, failures };
}
