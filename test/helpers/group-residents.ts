/**
 * Residents of one estate's group, each new one in a new private chat and group, talking to the
 * real engine over a real Casebook; and the check that a message is turned away with nothing
 * filed.
 */
import { expect } from "vitest";
import type { IncomingMessage } from "../../bot/message.ts";
import { useCasebookEngine } from "./casebook-engine.ts";
import { residentChats } from "./engine-support.ts";

export function useGroupResidents(name: string, map: NonNullable<IncomingMessage["group"]>) {
  const setup = useCasebookEngine(name);
  let residents = 0;
  function resident() {
    const senderId = `${name}-${++residents}`;
    const chats = residentChats(setup.engine(), name, senderId, {
      conversationId: `group-${name}-${residents}`,
      map,
    });
    return { say: chats.say, draft: async () => (await chats.draft())?.draft };
  }
  async function turnedAway(text: string) {
    const r = resident();
    const reply = await r.say(text);
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.citations).toEqual([]);
    expect(await r.draft()).toBeUndefined();
  }
  return { resident, turnedAway };
}
