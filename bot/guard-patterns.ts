/**
 * Patterns of messages the bot declines, checked on Simplified, lower-cased
 * text. Kept as data so a reviewer can read the whole policy at once.
 */
export const INJECTION_PATTERNS: RegExp[] = [
  /(忽略|无视|忘掉|忘记|别管|不要管|抛开|跳过).{0,12}(指令|指示|规则|设定|提示|要求|限制|说明|约束)/,
  /(系统|隐藏|原始|开发者|内部|完整)(的)?(提示词|提示|指令|说明|设定|配置|prompt)/,
  /提示词/,
  /system\s*prompt|systemprompt|hidden (configuration|instructions)|developer mode|jailbreak/,
  /(ignore|disregard|forget) (all |any |your |the )?(previous |prior |above |earlier )?(instructions|rules|prompts?|the above)/,
  /(show|reveal|print|output|repeat) (me )?(your|the) (system )?(prompt|instructions|rules)/,
  /(规则|指令|设定|提示).{0,4}原样|原样(输出|贴出|发出|告诉)/,
  /<\/?system>|\[system\]|新指令[:：]/,
  /\bdan\b|越狱|没有任何限制|不受任何限制|关闭(安全|内容)?过滤|解除限制/,
  /(你现在是|你扮演|扮演一个|假设你(就)?是|假装你是|以.{1,8}(身份|口吻))/,
  /(api|密)\s*(key|钥)|管理员密码|工具列表/,
  /(不许|不要|别|不准)(提|引用|加|附).{0,4}(法规|条文|依据|引用)/,
  /每句话都要说/,
];

/** Asking the bot to invent or forge: articles, signatures, documents, cases, accusations. */
export const FABRICATION_PATTERNS: RegExp[] = [
  /(编|编造|捏造|虚构|伪造|杜撰)(一|几|个|些|份|条|篇)?.{0,10}(条例|法规|条文|第.{1,6}条|签名|判例|案号|文件|通知|证明|决议|表决|记录|投诉|举报|公章|证据)/,
  /(模仿|冒充|假冒|仿冒).{0,12}(签名|签字|口吻|名义|公章|章|红头|通知|业委会|街道|政府|住建局|房管局)/,
  /红头文件|盖个章的样子|看着像真的|写得像真的|像真的一样/,
  /就说.{2,30}(其实没有|好让|吓唬|整他|整她)/,
  /其实没有.{0,6}(就是|只是)?想整/,
  /(就说|谎称|假报).{0,12}(着火|失火|起火|漏气|被困)/,
  /(挪用|套取|侵占).{0,8}(维修基金|维修资金|公款).{0,10}(不被发现|怎么做|办法)/,
];

/** Asking for someone else's personal data. */
const TARGET =
  "(别人|他|她|那家|那户|邻居|业主|住户|主任|经理|老太太|老头|委员|[赵钱孙李周吴郑王刘陈张杨黄]某|上一个)";
const DATA = "(手机号|手机|电话|号码|家庭住址|住址|身份证号?|联系方式)";
const ASK_BEFORE = "(查|查一下|查查|找出|告诉我|发给我|发到?群里?|导出|提供|透露|说出|给出|列出)";
const ASK_AFTER =
  "(多少|是啥|是什么|发我|给我|查给我|告诉我|说一下|发一下|发群里|发到群|发出来|公开|曝光)";
export const PERSONAL_DATA_PATTERNS: RegExp[] = [
  new RegExp(`${ASK_BEFORE}[^，。,]{0,16}${TARGET}[^，。,]{0,12}${DATA}`),
  new RegExp(`${TARGET}[^，。,]{0,12}${DATA}[^，。,]{0,12}${ASK_AFTER}`),
  new RegExp(`${TARGET}.{0,10}(?<!我家)(住哪|住几楼|住在哪|哪栋哪户)`),
  /(投诉记录|联系方式|手机号).{0,6}(导出|全部|所有)|(导出|全部|所有).{0,12}(投诉记录|联系方式|手机号)/,
  /上一个.{0,8}(人|问).{0,10}(是谁|问了|手机)/,
];

/** Insults, threats or incitement against a person. */
export const ABUSE_PATTERNS: RegExp[] = [
  /(帮我|替我|给我)?(骂|辱骂|侮辱|诋毁|羞辱).{0,12}(越难听越好|一下|他|她|主任|经理|物业|业委会)/,
  /(去|到).{0,6}(家门口|楼下)?(堵他|堵她|找他算账|找她算账|揍|打他|打她)/,
  /让大家去找(他|她)算账|人肉/,
];
