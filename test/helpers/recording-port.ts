import type { ChannelPort, Outbound } from "../../adapters/chat/channel-runtime.ts";

/**
 * A chat platform that records what the runtime sends. `refusePrivate`
 * behaves like WeChat towards a member who is not the bot's friend.
 */
export function recordingPort(
  options: { platform?: string; maxMessageChars?: number; refusePrivate?: boolean } = {},
): ChannelPort & { sent: Outbound[] } {
  const sent: Outbound[] = [];
  return {
    platform: options.platform ?? "fake",
    maxMessageChars: options.maxMessageChars ?? 100_000,
    sent,
    privateConversationOf: (senderId) => `dm:${senderId}`,
    async send(out) {
      if (options.refusePrivate && out.chatType === "private") throw new Error("not a friend");
      sent.push(out);
    },
  };
}
