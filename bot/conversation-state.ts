import type { IntakeState } from "./intake/intake-state.ts";

/** What the bot remembers of one conversation between messages. */
export interface ConversationState {
  /** The resident's last question (Simplified), for follow-ups such as 那业委会呢？ */
  lastQuestion?: string;
  /** Units the last answer cited, for 「全文」 and for a bare 第二条. */
  lastCitations: string[];
  /**
   * The resident's last few messages, so a complaint told over several
   * messages is filed with all of them once it is recognised.
   */
  recent?: string[];
  /** A complaint being collected, if any. */
  intake?: IntakeState;
  updatedAt: number;
}

/**
 * Where conversation state lives. The default keeps it in memory; a channel
 * that must survive restarts passes the casebook's persistent store.
 */
export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  set(key: string, state: ConversationState): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-memory store with a size cap and an idle timeout, so a busy group cannot grow it without bound. */
export class MemoryConversationStore implements ConversationStore {
  private readonly map = new Map<string, ConversationState>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly idleMs = 6 * 60 * 60 * 1000,
  ) {}

  async get(key: string): Promise<ConversationState | undefined> {
    const state = this.map.get(key);
    if (!state) return undefined;
    if (Date.now() - state.updatedAt > this.idleMs && !state.intake) {
      this.map.delete(key);
      return undefined;
    }
    // Re-insert so iteration order is least-recently-used first.
    this.map.delete(key);
    this.map.set(key, state);
    return state;
  }

  async set(key: string, state: ConversationState): Promise<void> {
    this.map.delete(key);
    this.map.set(key, state);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }
}
