/**
 * What a resident reads on first contact with an official channel (a new
 * Official Account follower, a WeCom member opening the bot's chat).
 */
export const WELCOME_TEXT = [
  "您好，我是物业助手。",
  "物业管理方面的问题可以直接问我，我会注明依据的条文，例如：物业能因为欠物业费停我家的水吗？",
  "遇到物业不作为、乱收费、安全隐患等问题，发「投诉」加上具体情况，我帮您整理成投诉单，您确认后登记并转交，处理有进展会告诉您。",
  "遇到火情、人身危险等紧急情况，请直接拨打 119 或 110。",
].join("\n");
