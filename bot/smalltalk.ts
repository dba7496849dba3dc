/** Greetings, thanks and who-are-you: small talk, read before anything else. */
const GREETING =
  /^((你好|您好|在吗|在不在|在么|(?:hi|hello|hey)(?: there| all| everyone| bot)?|哈喽|嗨|早|早安|早上好|中午好|下午好|晚上好|晚安|大家好|有人吗|有人在吗|你好啊|喂|拜拜|再见|bye|good (morning|evening|night))[呀啊哈嘛吖哦～~]*[!！。.~～？?，,\s]*)+$/i;
const THANKS_WORDS = [
  "谢谢",
  "多谢",
  "感谢",
  "谢了",
  "好的",
  "好",
  "ok",
  "收到",
  "明白了?",
  "知道了?",
  "懂了?",
  "了解了?",
  "辛苦了?",
  "谢谢你",
  "谢谢您",
  "嗯+",
  "哦+",
  "噢",
  "哈哈+",
  "好嘞",
  "得嘞",
  "中",
  "妥了",
  "👍",
  "🙏",
  "好吧",
  "行吧",
  "那好吧",
  "行",
  "中吧",
  "好滴",
  "好哒",
  "谢啦",
  "多谢啦",
  "明白啦",
  "thanks",
  "thanks (a lot|so much)",
  "thank you (so|very) much",
  "thank you",
  "ok thanks",
  "okay",
  "got it",
  "great",
  "cheers",
  "many thanks",
  "appreciated?",
].join("|");
const THANKS = new RegExp(`^((${THANKS_WORDS})[啊呀哈啦嘞哦喔哩了～~，,!！。.\\s]*)+$`, "i");
/** 真人 or 机器人, either way round. */
const PERSON_OR_BOT = "(真|机器)人?";
const WHO_FORMS = [
  "你是谁",
  "你是什么",
  "你是干(啥|什么|嘛)的",
  "你(能|可以)干点?(啥|什么)",
  "(机器人|助手|小程序)(怎么|咋)(用|使用)",
  "是真人吗",
  "你是(个)?(机器人|机器|程序)(吗|吧|么|不)",
  `${PERSON_OR_BOT}还是${PERSON_OR_BOT}`,
  "你们?是(政府|官方|哪个部门|哪个单位|谁)",
  "是不是(政府|官方|真人)",
  "(你|恁)是(真人|人工|客服|ai|人工智能)",
  "真人(不|吗|么|嘛|没)",
  "are you (a )?(bot|robot|human|real|person)",
  "who are you",
];
const WHO = new RegExp(WHO_FORMS.join("|"), "i");
/** 我想问个事: an invitation to ask, answered by saying what can be asked. */
const ASK_INVITE =
  /^(你好|您好|在吗)?[，,\s]*(我)?(想|要|能|可以)?(问|咨询|请教|打听)(一下|个事|个问题|点事|点问题|件事)?(吗|行吗|可以吗)?[。？?！!～~]*$|^(你好|您好)?[，,\s]*有(个|点|件)(事|问题|事儿)(想)?(问问|问|请教|咨询|打听)?(一下)?(你)?[。？?！!～~]*$/;
export const CAPABILITIES =
  "我是物业助手，可以：\n1. 解答物业收费、业主大会、业委会、维修资金、小区安全等问题，并注明依据的条文；\n2. 讲解成立业主大会和选出业委会、换物业、使用维修资金等办事流程，帮您计算业主大会表决是否通过；\n3. 帮您把物业方面的问题整理成投诉，转交相关部门并告知处理进度。\n直接输入您的问题即可，例如：物业能因为欠费停水吗？";

/**
 * Thanks or a greeting with a word or two of chatter around it (好 太感谢了,
 * 行 我回头再看 谢谢, 嗨 有人没): short, and asking nothing.
 */
const THANKS_WORD = /谢谢|多谢|感谢|谢了|谢啦|辛苦|\bthx\b|\bthanks\b|thank you|\bty\b/i;
const GREETING_WORD =
  /在吗|在不在|在么|在没|你好|您好|大家好|各位好|请多关照|多多关照|哈喽|嗨|早上好|中午好|下午好|晚上好|早安|\bhi\b|\bhello\b/i;
/** A goodbye with a word or two around it. */
const FAREWELL_WORD =
  /有事再(找|问)(你|您)?|回见|回头见|改天见|回头再(找|问)|下回再(找|问)|下次再(找|问)|拜拜|再见|\bbye\b/i;
const ASKS = /[？?]|吗(?!啊)|呢|怎么|咋|能不能|可不可以|多少|哪|谁|什么|啥|几/;
const CHATTER_MAX = 20;

/** Words that make a short message an answer to the complaint's questions (匿名，谢谢), not chatter. */
const CARRIES_DETAILS =
  /\d|匿名|实名|名字|留名|姓|(?<!社)区|县|市|小区|苑|园|确认|提交|不用|算了|取消|投诉|登记|报|物业|业委会|不管|坏|漏|堵|停|费(?!心)/;

function chatter(t: string, word: RegExp): boolean {
  const rest = t.replace(new RegExp(word.source, "gi"), "");
  return t.length <= CHATTER_MAX && word.test(t) && !ASKS.test(rest) && !CARRIES_DETAILS.test(rest);
}

/** 那个漏水早弄好了，多谢: news that it is fixed, and thanks; nothing is asked or reported. */
const RESOLVED_THANKS =
  /(修好|弄好|解决|处理好|办好|搞定|清理干净|清走|拆掉|挪走)了[^？?]{0,20}(谢谢|感谢|多谢|谢了|谢啦)[^？?]*$/;
const RESOLVED_MAX_CHARS = 60;

function resolvedThanks(t: string): boolean {
  return t.length <= RESOLVED_MAX_CHARS && RESOLVED_THANKS.test(t) && !ASKS.test(t);
}

export function isSmalltalk(text: string): boolean {
  const t = text.trim();
  return (
    resolvedThanks(t) ||
    GREETING.test(t) ||
    WAITING.test(t) ||
    THANKS.test(t) ||
    WHO.test(t) ||
    ASK_INVITE.test(t) ||
    chatter(t, THANKS_WORD) ||
    chatter(t, GREETING_WORD) ||
    chatter(t, FAREWELL_WORD)
  );
}

/** The resident will wait for news; nothing is asked. */
export const WAITING =
  /^((好|好的|行|中|嗯|那|那好|ok)[的吧啊嘞，,\s]*)*(我|俺)?(就)?(先)?等(着|你们?的?)?(信儿?|消息|通知|回复|回音|电话|结果)(吧|了|啊|哈|嘞)?[。！!～~.]*$/i;
export function smalltalkReply(text: string): string | undefined {
  const t = text.trim();
  if (resolvedThanks(t)) return "太好了，问题解决了就好！还有其他物业方面的问题，随时问我。";
  if (GREETING.test(t)) return `您好！${CAPABILITIES}`;
  if (ASK_INVITE.test(t)) return `请说，${CAPABILITIES}`;
  if (THANKS.test(t)) return "不客气！还有其他物业方面的问题，随时问我。";
  if (WAITING.test(t)) return "好的。有进展时我会在这里告诉您，发送「进度」也可以随时查询。";
  if (WHO.test(t)) return CAPABILITIES;
  if (chatter(t, THANKS_WORD)) return "不客气！还有其他物业方面的问题，随时问我。";
  if (chatter(t, GREETING_WORD)) return `您好！${CAPABILITIES}`;
  if (chatter(t, FAREWELL_WORD)) return "好的，有物业方面的事随时找我。";
  return undefined;
}

export const CAPABILITIES_EN =
  "I am the property-management assistant of Pingdingshan. I answer questions about property fees, owners' assemblies and committees, the maintenance fund and safety in residential communities, citing the exact article of the Henan regulation, the city plan or national law. I can also turn a problem into a complaint and forward it to the authorities. My answers are in Chinese; ask me anything, for example: 物业能因为欠费停水吗？";

/** Small talk in English is answered in English. */
export function smalltalkReplyEnglish(text: string): string {
  if (/\b(thanks?|thank you|cheers|appreciated?)\b/i.test(text))
    return "You're welcome. Ask me any time about property management.";
  if (/\b(bye|goodbye|see you|good night)\b/i.test(text))
    return "Goodbye. Message me any time about property management.";
  return `Hello! ${CAPABILITIES_EN}`;
}
