import { conversationKey, privateKey } from "./conversation-keys.ts";
import {
  type ConversationState,
  type ConversationStore,
  emptyState,
  readStoredState,
} from "./conversation-state.ts";
import type { ParsedMessage } from "./message.ts";

/**
 * One message's view of the conversation: the state of the chat it came
 * from and, in a group, the member's private state (where a complaint is
 * collected). Loaded once before the handlers run, saved once after.
 */
export class Conversation {
  private constructor(
    private readonly store: ConversationStore,
    private readonly keys: { chat: string; personal: string },
    /** This chat (the private chat, or this member in this group). */
    readonly chat: ConversationState,
    /** The member's private conversation; the same object as `chat` in a private chat. */
    readonly personal: ConversationState,
    private readonly personalAsLoaded: string,
  ) {}

  static async load(
    store: ConversationStore,
    msg: Pick<ParsedMessage, "platform" | "chatType" | "conversationId" | "senderId">,
    now: number,
  ): Promise<Conversation> {
    const keys = { chat: conversationKey(msg), personal: privateKey(msg) };
    const read = async (key: string) => readStoredState(await store.get(key)) ?? emptyState(now);
    const chat = await read(keys.chat);
    const personal = keys.personal === keys.chat ? chat : await read(keys.personal);
    return new Conversation(store, keys, chat, personal, JSON.stringify(personal));
  }

  get isGroup(): boolean {
    return this.chat !== this.personal;
  }

  async save(now: number): Promise<void> {
    this.chat.updatedAt = now;
    await this.store.set(this.keys.chat, this.chat);
    // A group message rarely touches the member's private state; leave it alone unless it did.
    if (this.isGroup && JSON.stringify(this.personal) !== this.personalAsLoaded) {
      this.personal.updatedAt = now;
      await this.store.set(this.keys.personal, this.personal);
    }
  }
}
