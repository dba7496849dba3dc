const GREETING =
  /^(你好|您好|在吗|在不在|hi|hello|哈喽|嗨|早上好|中午好|下午好|晚上好|大家好|有人吗)[!！。.~～？?]*$/i;
const THANKS =
  /^(谢谢|多谢|感谢|谢了|好的|好|ok|收到|明白了|知道了|懂了|辛苦了)(你|您)?[!！。.~～]*$/i;
const WHO =
  /你是谁|你是什么|你能做什么|你会什么|怎么用你|有什么功能|你是机器人吗|你们?是(政府|官方|哪个部门|哪个单位|谁)|是不是(政府|官方|真人)/;

export const CAPABILITIES =
  "我是物业助手，可以：\n1. 解答物业收费、业主大会和业委会、维修资金、小区安全等问题，并注明依据的条文；\n2. 讲解成立业主大会、选举业委会、换物业、使用维修资金等办事流程，帮您计算业主大会表决是否通过；\n3. 帮您把物业方面的问题整理成投诉，转交相关部门并告知处理进度。\n直接输入您的问题即可，例如：物业能因为欠费停水吗？";

export function smalltalkReply(text: string): string | undefined {
  const t = text.trim();
  if (GREETING.test(t)) return `您好！${CAPABILITIES}`;
  if (THANKS.test(t)) return "不客气！还有其他物业方面的问题，随时问我。";
  if (WHO.test(t)) return CAPABILITIES;
  return undefined;
}

export const CAPABILITIES_EN =
  "I am the property-management assistant of Pingdingshan. I answer questions about property fees, owners' assemblies and committees, the maintenance fund and safety in residential communities, citing the exact article of the Henan regulation, the city plan or national law. I can also turn a problem into a complaint and forward it to the authorities. My answers are in Chinese; ask me anything, for example: 物业能因为欠费停水吗？";
