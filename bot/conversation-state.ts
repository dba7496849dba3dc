import { z } from "zod";
import type { IntakeState } from "./intake/intake-state.ts";

/** Bumped whenever the shape below changes; older rows are read as a fresh conversation. */
export const CONVERSATION_STATE_VERSION = 2;

/** What the bot remembers of one conversation between messages. */
export interface ConversationState {
  version?: number;
  /** The resident's last question (Simplified), for follow-ups such as 那业委会呢？ */
  lastQuestion?: string;
  /** The resident writes in English: a one-word reply (Yes, Confirm.) is answered in English too. */
  english?: boolean;
  /** Units the last answer cited, for 「全文」 and for a bare 第二条. */
  lastCitations: string[];
  /** The whole of the last answer when the reply had to be shortened (「详细」). */
  fuller?: string;
  fullerKind?: "answer" | "procedure";
  /**
   * A problem the bot offered to file after answering. Only an explicit yes
   * in the next message takes it up; anything else lets it go.
   */
  offer?: { at: string };
  /**
   * The trouble the resident has told lately (even as a question), so a
   * complaint told over several messages is filed with all of it, and with
   * nothing else they said.
   */
  story?: { texts: string[]; at: string };
  /** Where the resident said they are, told before any problem (石龙区 松涛苑): kept for the complaint. */
  place?: { texts: string[]; at: string };
  /** The last complaint filed from this resident's chat: later messages about "that matter" ask after it. */
  filed?: { number: string; at: string; about?: string };
  /** The last reply told the resident about their complaints: the next short message may go on with it. */
  progressTold?: { at: string };
  /** A complaint being collected, if any. */
  intake?: IntakeState;
  updatedAt: number;
}

/**
 * A loose check of a stored row: enough to refuse what an older or foreign
 * version wrote, without re-validating every field of the draft.
 */
const StoredStateSchema = z
  .object({
    version: z.literal(CONVERSATION_STATE_VERSION),
    lastCitations: z.array(z.string()),
    updatedAt: z.number(),
  })
  .passthrough();

/** A stored state of this version, or undefined (then the conversation starts afresh). */
export function readStoredState(value: unknown): ConversationState | undefined {
  const parsed = StoredStateSchema.safeParse(value);
  return parsed.success ? (parsed.data as unknown as ConversationState) : undefined;
}

export function emptyState(now: number): ConversationState {
  return { version: CONVERSATION_STATE_VERSION, lastCitations: [], updatedAt: now };
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
    return structuredClone(state);
  }

  async set(key: string, state: ConversationState): Promise<void> {
    this.map.delete(key);
    this.map.set(key, structuredClone(state));
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
