/**
 * Conversation state is kept per person: in a group, each member's follow-ups
 * are theirs alone; a complaint always continues in that person's private chat.
 */
export function privateKey(m: { platform: string; senderId: string }): string {
  return `${m.platform}:user:${m.senderId}`;
}

export function conversationKey(m: {
  platform: string;
  chatType: "group" | "private";
  conversationId: string;
  senderId: string;
}): string {
  return m.chatType === "private"
    ? privateKey(m)
    : `${m.platform}:group:${m.conversationId}:${m.senderId}`;
}
