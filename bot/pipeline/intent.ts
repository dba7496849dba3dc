import { complaintSignal } from "../intake/classify.ts";
import {
  extractCommunity,
  extractContact,
  extractDistrict,
  extractUrgency,
} from "../intake/extract.ts";
import { isCancel } from "../intake/flow.ts";
import { findDistricts } from "../intake/gazetteer.ts";
import { anotherBodysMatter, clearlyOffTopic, judgeScope, namesEstateMatter } from "../scope.ts";
import { isSmalltalk, WAITING } from "../smalltalk.ts";

/**
 * What a message asks of the bot. Read by rules in this order; the first
 * that fits wins. A complaint needs an explicit request or a problem told as
 * happening now: a question about a problem is answered (with an offer).
 */
export type Intent =
  | { kind: "full_text" }
  | { kind: "more" }
  | { kind: "help" }
  | { kind: "progress"; caseNumber?: string }
  | { kind: "smalltalk" }
  | { kind: "vent" }
  | { kind: "leave" }
  | { kind: "accept" }
  | { kind: "complaint"; emergency: boolean; explicit: boolean }
  | { kind: "question"; aboutProblem: boolean };

const FULL_TEXT = /^(全文|原文|看全文|查看全文|条文原文|看原文|发全文)$/;
const MORE = /^(详细|详情|详细点|说详细点|展开|看详细|完整|完整回答|更多|详细说说)$/;
const HELP =
  /what can you do|what can you help( me| us)?( out)? with|how can you help|what (kind of |sort of )?(things|questions|stuff) can you|how (do|can) i use (you|this)|what do you do|^help( me)?[.!?]*$|^(帮助|help|菜单|menu|功能|功能介绍|使用说明|使用方法|说明|怎么用|怎么使用|指令|命令|\?|？)$|(你们?|恁)(都|还)?(能|可以|会)(做|干|弄|帮(我|俺|咱)?们?(做|干|弄)?|帮忙做?)?点?(什么|啥|些啥|些什么|哪些事)|(怎么|咋|如何)(改|修改|更正)(信息|内容|投诉|登记)|(机器人|助手|小程序|你这个?|这个)(该)?(怎么|咋|如何)(用|使用|操作)|(机器人|助手|小程序)(能|可以|会)(干|做|帮)(点)?(啥|什么|些啥)|你(都)?会(什么|啥|干啥)|(你|机器人|助手|这个)还?(会|能|可以)(干|做)点?(啥|什么|哪些)|怎么用你|(有|都有)(什么|哪些|啥)功能|能帮(我|俺)?(干|做|弄)?点?(什么|啥|些啥)|(菜单|功能|帮助|使用说明)(发|给|看|来)(我|俺)?(一下|下|看看)?|我(该|要|能)?(怎么|咋)(问|用)你?|(怎么|咋|如何)(用|使用|操作)(你|这个|这玩意)|你这个?(怎么|咋)(用|弄)|你有(什么|啥)用|(你|恁)(们|这)?(到底|究竟)?(都)?(能)?管(些|点)?(啥|什么|哪些)(事)?[？?。！!]*$|(能|可以)?提供(什么|哪些|啥)(服务|帮助|功能)|(你|您)们?(都|还)?(能|可以|会)(帮|替)?[^，。？?]{0,6}(解决|处理|回答|解答|办)[^，。？?]{0,4}(哪些|什么|啥)(方面|类|样)?的?(问题|事)|(怎么|如何|该怎么)(向你|跟你|给你)?提问|(向|跟|给)你提问|有(什么|啥)(可以|能)帮(我|俺|到我)的?|^(请问)?(如何|怎么|怎样)使用[？?。]*$/i;
/** PDS-20261201-0001, also typed without the dashes. */
export const CASE_NUMBER = /pds-?\d{8}-?\d{3,4}/i;

/** A case number as other desks write it: 编号, 单号 or 工单号 and a long run of digits. */
const OTHER_NUMBER =
  /(编号|单号|工单号?|案件号|投诉号|受理号|号码)(是|为|:|：)?\s*[A-Za-z]{0,4}-?\d{6,}/;

/** A message this long that carries one of our case numbers asks after that case. */
const CASE_NUMBER_MESSAGE_MAX_CHARS = 100;

/** The case number in the form it was issued (PDS-YYYYMMDD-NNNN). */
export function caseNumberOf(typed: string): string {
  const digits = typed.replace(/\D/g, "");
  return `PDS-${digits.slice(0, 8)}-${digits.slice(8).padStart(4, "0")}`;
}
/** Asked in English: any update on my complaint, what's the status of my report. */
const PROGRESS_EN =
  /\b(any )?(update|progress|news|status)\b[^.?!]{0,30}\b(complaint|case|report)\b|\bmy (complaint|case|report)\b[^.?!]{0,30}\b(update|status|progress|going|handled)\b|\bwhat'?s (happening|going on) with my (complaint|case|report)\b|\bwhat happened (to|with) my (complaint|case|report)\b|\bwhat happens (next )?(to|with) my (complaint|case|report)\b|\bhow long\b[^.?!]{0,40}\b(my )?(complaint|case|report)\b|\b(has|did|have) (anyone|someone|somebody|the staff)\b[^?]{0,20}\b(look|looked|check|checked|read|handled?)\b[^?]{0,20}\bmy (complaint|case|report)\b|\b(has|have|was|is) (my|the) (complaint|case|report)\b[^.?!]{0,30}\b(processed|handled|resolved|reviewed|received|accepted|forwarded|dealt with)\b|\bcheck (on )?(my|the) (complaint|case|report|progress|status)\b|^check (progress|status)\b|^(status|progress)[.?!]*$|\b(where|how far)\b[^.?!]{0,20}\bmy (complaint|case|report)\b|\b(anyone|somebody|someone)\b[^.?!]{0,20}\b(handling|following up|looking at|looking into|dealing with|working on)\b[^.?!]{0,20}\b(my|the) (complaint|case|report)\b|\bfollow(ed)? up on my (complaint|case|report)\b|\b(filed|made|lodged|submitted|sent)\b[^?]{0,80}\b(complaint|case|report)\b[^?]{0,80}\b(any (updates?|news|progress)|status|progress|heard (back|anything)|been (handled|fixed|dealt with))\b/i;
const PROGRESS_ALONE =
  /^(查询?|查一下|查下|看看|看一下|问下|问一下)?(我的|俺的)?(投诉|工单|案件|登记|办理|处理)?(的)?(进度|进展|状态|结果(?![他她它们物经人对就又还被把却])|情况)(查询|查一下|咋样了?|怎么样了?|如何了?)?[？?。]*$|^(查询|查进度|查一下进度)$/;
/** My complaint + how is it going, in everyday words. */
const MY_CASE =
  /[\u4e00-\u9fa5]{1,6}(那|这)件?事儿?(?!情|物(?!业))|(我|我的|我们|俺|俺的|俺们|刚才|刚刚|之前|上次|上回|上周|上礼拜|上个月|昨天|前天|前几天|前两天|那个|那条|那件|这个|这件)[^，。？?]{0,6}(投诉|反映|举报|登记|工单|案子|问题|事情?)|^(昨天|前天|前几天|前两天|上周|上礼拜|上星期|上个月|上回|上次)(报|提交|登记|反映|投诉)(上去)?的|(刚才|刚刚|刚|之前|上次|我|俺)(昨天|前天|大前天|前几天|前两天|前些天|头几天|上周|上礼拜|上星期|上个?月|那天|早上|今天|上午|下午)?(在这儿?|在这里|在你这儿?)?(报|提交|登记|反映|投诉|交)(上去)?的(那个|那件|那条|事)?|^(昨天|前天|前几天|前两天|上周|上礼拜|上星期|上回|上次|之前|刚才)?(报|提交|登记|反映|投诉)(上去)?的(那个|那件|那条|事)|(报|登记|投诉|反映)过(一个|一件|的)|(我|俺)[^，。？?]{0,6}(报|反映|投诉|登记)的?(那个|那件|那条)[^，。？?]{1,12}的|那个[^，。？?]{1,8}的(投诉|工单|单子)|(我|俺)[^，。？?]{0,8}(报|登记|投诉|反映)过/;
/** 看看我上回登记的: looking up a complaint already made. */
const LOOK_UP =
  /(查询一下|查询|查|查一下|查下|查查|看看|看一下|问问|问一下)(我|俺)?(之前|上次|上回|前几天|刚才|刚刚|以前)?(的|那个)?(投诉|反映|工单|登记|举报)|(我|俺)(自己)?的?(投诉|反映|工单|登记)[^，。]{0,3}(能|可以|咋|怎么|在哪)(查|看)/;
/** The complaint as a thing already made (我的投诉, 刚才那个投诉), not the verb (投诉物业). */
const CASE_NOUN =
  /(我的|俺的|刚才的?|刚刚的?|之前的?|上次的?|那个|这个|提交的|反映的|上报的|关于[^，。？?]{1,12}的|^(请问)?)(投诉|工单|案件|单子)(?![物他她开业邻楼保电要热渠方途])/;
/** Where a complaint already made stands, in plainer and more formal words. */
const CASE_STATUS =
  /进展|进度|状态|情况|程度|如何|成功|由谁|谁(在)?(负责|处理|管|办)|有人(去|来)?(看|管|处理|修|联系|找)|(来|去)?看了(吗|没)|看到|收到|转(给|到|交)|通知我|接下来|下一步|会怎样|怎么处理|结果/;
/** Asking how complaints are handled in general: what if unhappy, how long, whether it is public. */
const ABOUT_COMPLAINTS_IN_GENERAL =
  /不满意|可以|能不能|能否|一般|多久|会不会|属实|的话|渠道|电话|热线|怎么办|规定|公开|如果|要是/;
const ONES_OWN = /(我|俺)的?|刚才|刚刚|之前|上次|上回|那个|这个投诉/;
/** 投诉编号忘了: looking a complaint up without its number. */
const LOST_NUMBER = /(投诉|工单|案件|受理)?(编号|单号)(忘了|丢了|找不到|记不得|记不清|没记)/;
/** 给街道反映过…: a complaint made to another desk is not a case this bot can look up. */
const ELSEWHERE =
  /(向|给|跟|找|到|在|打)(了)?(消防|12345|12315|市长|热线|住建|房管|街道|社区|居委会|城管|派出所|公安|政府|信访|部门|主管部门)[^，。？?]{0,8}(投诉|反映|举报|报|打)/;

/** 装修登记, 车辆登记: registering something with the estate, not a complaint registered here. */
const OTHER_REGISTRATION = /(装修|入住|车辆|车位|房屋|产权|户口|不动产|宠物|养犬)登记/;

/** The complaint named first, then how it is going. */
const CASE_FIRST =
  /^(投诉|反映|举报|工单|登记的)[^，。]{0,4}(有人(管|理|处理|联系|回|来|看|跟|接)|处理|进度|进展|怎么样|咋样|结果(?![他她它们物经人对就又还被把却])|受理|回复|回音|动静|信儿|下文|消息|到哪)/;
/** 投诉了好几天了 咋没动静: complained a while ago, and nothing heard since. */
const WAITED =
  /(投诉|反映|登记|报)(了|过|上去)?(都|已经)?[^。]{0,10}(咋|怎么|还|也|到底)(还)?(没|有没有)(有)?(动静|人管|人理|人来|人联系|信儿|回音|消息|下文|结果|回复)[啊呀呢吗嘞哩？?。！!\s]*$/;
/** 我那个工单呢: the resident's own ticket, asked after on its own. */
const MY_TICKET = /^(我|俺)的?(那个|那张|那条|那件)?(工单|单子|投诉|案子)(呢|嘞|啊)?[？?]*$/;
/** 上回说的那个事呢: the matter named, and nothing else asked. */
const MATTER_ALONE_MAX_CHARS = 12;
const ARTICLE_NUMBER = /第[一二三四五六七八九十百千零〇两\d]+条/;
/** Asking after a complaint takes a few words; a long message tells a story. */
const PROGRESS_MAX_CHARS = 40;
/** How a complaint is getting on, asked without naming it (有回复了吗, 有信儿没). */
const PROCESS_STATUS =
  /进度|进展|有人管|有人处理|有人联系|联系我没|啥情况了|什么情况了|受理|结果(?![他她它们物经人对就又还被把却])|回复|回音|(?<![用花放交送去搬走跑拿])到哪|哪一步|动静|下文|消息|信儿|音信|回信|处理(了|没|得|到|好)/;
const STATUS_WORDS =
  /答复|(怎么|咋)说|管不管(我|俺)|(处理|办理)(情况|结果)|跟进|有(工作人员|人)(在)?(处理|跟进|管|看)|解决(了)?(没|吗)|修(好)?(了)?(没|吗)|(来|去)?看(了)?(没|吗)|来人(了)?(没|吗)|谁在(处理|管|办)|弄(好|完)(了)?(没|吗)|有人(看|联系|回)|联系我|回(个)?电话|信儿|音信|回信|怎么样|咋样|如何了|进度|进展|有人管|有人处理|有人理|有没有人|处理(了|没|得|到)|受理|结果(?![他她它们物经人对就又还被把却])|回复|回音|到哪|哪一步|办(了|得|好|结)|动静|下文|有消息|管了吗|处理好|转交|还没(人)?(处理|来|管|回|动)|咋还没|怎么还没|(什么|啥)时候(处理|来|修|给|有人|能)|管了没|到谁(手里|手上|那)|谁(在)?(管|负责|处理)(着|了)|转(给|到)(谁|哪)/;
const ACCEPT =
  /^(投诉|我要投诉|要投诉|登记|帮我登记|帮我投诉|帮我反映|要|好|好的|嗯|是的|可以|行|麻烦了|麻烦你|对|需要|登记吧|投诉吧|帮我转交)[。！!～~]*$/;
/** Words that only ask (the text is a question), not a report of what is happening. */
const ASKS =
  /[？?]|吗|(有|为|凭|干|弄|是|担|要|出|负)(什么|啥)|什么(?![都也])|啥(?![都也])|谁(?![家也都])|到底|会不会|么$|干啥|干什么|做什么|管什么|管啥|怎么办|咋办|能不能|可不可以|可以不|是否|怎么|咋|如何|谁来|谁管|归谁|哪个部门|找谁|谁(选|定|出|付|批|负责|决定|说了算)|多少|(?<=要|得|需|有|是|第|等|过|隔|多|了|前|后|每)几(天|年|个月|次|个人|户|家|成|位|栋|层|票|个业主)(?![不没都就才一])|(?<![好十这那])几(天|年|个月|次|个人|户|家|成|位|栋|层|票|个业主)(?=能|才能|可以|必须|内|以内|之内|算|[？?吗呢]|$)|多久|多长|有没有|算不算|合法|合理|行不行|(?<!不)对不对|该不该|要不要|需不需要|应该(?![是在叫为改])|违法|有什么规定|什么规定|规定|条例|法律|(哪里|哪儿)[啊呀呢嘞吗？?。\s]*$|(去|找|向|到|上|在)哪(里|儿|个部门|个单位)?(投诉|反映|举报|告|问|办|查|说理|申请|交)|哪个(部门|单位|机构)|从哪|哪(儿|里)?(下手|开始|入手|着手)|(算|(?<![还就要可但倒总老])是|归|属于)(?!了|这样|那样)[^，。？?\s]{1,12}吧[？?。]*$/;
/** One body or the other, asked (read on the raw text: a doubled 管 at the end is otherwise taken as a plea). */
const EITHER_OR =
  /(归|是|找|让|该|由)[^，。]{1,8}还是(?![没不一老])[^，。]{1,10}(管|负责|出钱|掏钱|拿钱|出|掏|算|交|修|赔|付)[？?]?$|(找|归|该|由|让)[^，。？?]{1,8}还是(?![没不一老])[^，。？?]{1,10}[？?]?$|^(先|我想|想|我先|再|顺便|另外)?问(一下|下|个事儿?|个问题|问)[，,\s]|^请问/;
/**
 * Something going wrong, told as it is: what turns a topic (停车费) into a
 * problem to handle (停车费乱收了三个月). General predicates, not phrases.
 */
const TROUBLE =
  /不管|不修|没人|不理|不给|不让|不退|不接|不回|找不(到|着)|不见人|不交|不走|不开|不公示|不公开|坏了|坏掉|损坏|漏|堵|塌|摔|砸|受伤|裂|掉下|往下掉|老掉|脱落|不拴绳|不牵绳|吓哭|吓坏|咬(了|伤)|碎了|烂了|裸露|臭|脏|吵|过期|拆了|拆掉|丢了|被偷|不亮|不通|不热|失灵|故障|生锈|锈|破了|倒了|卡(了|住|在)|(关|困)(在|里|住)|还没|没(有|给|修|换|续|来|装|处理)|到期|不到位|堆(满|着|了)|乱(停|放|贴|搭|建)|占了|占着|停了|断了|拉闸|乱收|多收|强制|强行|跑了|跑路|撤了|搬走|撤走|走人了|卷铺盖|着火|冒烟|一直|天天|整天|老是|总是|好几(天|个月|周|星期|年)|[两三四五六七八九十半仨俩]+(天|个月|周|星期|年)了|(快|都|已经|有)一(个月|年|周|星期|个礼拜)了|坏[^，。]{0,3}了|(叫|被|让)人[^，。]{1,6}了|(嗡嗡|轰轰|咚咚|哐哐)(直)?响|震得|凭什么|凭啥|太(差|脏|吵|乱|贵)|气死|受不了|没法|差劲|欺负|威胁|打人|骂人|危险|隐患|吓人|差点|三天两头|不当回事|不当一回事|装看不见|装聋作哑|不闻不问|(才|只)[^，。]{0,4}一(回|次|趟)|全是(土|灰|垃圾|水)|贵(了|得|一倍|好多|很多|死)|太贵|比[^，。]{0,6}贵|根本(没|不)|没(通知|公示|公开|开会|表决|同意|经过|商量)|代签|冒签|冒名|造假|作假|私自|擅自|偷偷|霸占|侵占|挪用|克扣|扣着|扣押|不还|不兑现|糊弄|敷衍|摆烂|锁(死|上|住)|封(死|住|上)|焊死|挡(住|着|死)|堵死|(物业|开发商|业委会|他们|邻居|楼上|楼下|有人|保安|保洁)把.{1,12}(了|掉|死|住)|险些|怕(起火|出事|着火)|没(水|电(?![梯动瓶脑视话])|暖气|气|热水|信号|灯)|露(在外|着|出)|泡了|淹了|发霉|渗水|掉(了|下)|断(水|电)|停(水|电|暖|气)/;

/** The district, a 小区 name or a phone number: what residents give when they report. */
function reportsPlace(text: string): boolean {
  return extractDistrict(text) !== undefined || ownPlace(text);
}

/**
 * With the district and the estate's name taken out, what is told is the estate's: it names the
 * estate's fabric or management, or at least nothing another body handles.
 */
function toldBesidesNames(text: string): boolean {
  const names = [
    ...findDistricts(text).map((m) => m.alias),
    extractCommunity(text)?.name ?? "",
  ].filter((n) => n !== "");
  const told = names.reduce((rest, name) => rest.split(name).join("，"), text);
  return namesEstateMatter(told) || !clearlyOffTopic(told);
}

/** The resident's own 小区 named, or a phone number left: what only a report carries. */
function ownPlace(text: string): boolean {
  return extractCommunity(text)?.strong === true || extractContact(text)?.phone != null;
}

/** Whether someone is bound to do something, asked. */
const DUTY_QUESTION = /(有没有|是否|有无)(义务|责任)|该不该|应不应该/;

/** Complaint-cue score above which a statement reports a problem (bare topics score about 2). */
const PROBLEM_SCORE = 5;

/** Asking to complain, in so many words, as opposed to asking about complaining. */
const REQUEST =
  /\bcomplain\b|\bfile (a|the) complaint|(我|俺|我们|俺们)(要|想|就要|必须|得|准备)?(正式|实名|匿名|郑重|再次?|直接|一定要?|坚决)?(投诉|举报|反映|登记)(?![了过到])|(我|俺)(要|想|就要|得)告(他们|他|物业|开发商|业委会)|(要|想|必须)(投诉|举报|登记|反映)|帮(我|俺|忙)[^，。？?]{0,4}(投诉|反映|登记|举报|处理|转|记录|记一下|记下)|给(我|俺)登记|代表[^，。]{1,8}(投诉|举报|反映)(?![了过的])|给(我|俺|我们|俺们)?(投诉|反映|登记|报|举报)(一下|下|上去|上)|^(投诉|举报|反映|登记)(一下|下|一个|个|一件事|件事)?[:：\s]/;

/** A bare topic asking for information (维修资金使用流程, 委员条件). */
const ASKED_THING_MAX_CHARS = 20;
const ASKED_THING =
  /(流程|步骤|手续|条件|标准|规定|办法|程序|要求|材料|时间|期限|比例)[？?。！!]*$/;

/** Anger with nothing yet said of what happened: 受够了, 这物业真是绝了. */
const VENT =
  /受够了|(真|太|好)?烂|太差|差劲|垃圾物业|绝了|气死|无语|服了|离谱|坑人|黑心|不像话|过分|没见过这么|什么玩意|啥玩意|恶心|太坑|[！!]{2,}/g;

/** A problem supposed, not had: 要是物业不走呢. */
const HYPOTHETICAL = /万一|如果|要是|假如|假设|比如说/;

/** A danger told as past, hypothetical or elsewhere is a question, not an emergency. */
// 火灭了 / 没事了 / 已经打了119: the danger is over, what follows is a complaint about it.
const NOT_NOW =
  /万一|如果|要是|假如|假设|的话|以前|上次|上回|去年|之前|听说|新闻|灭了|没事了|救出来|放出来|头一回|好几回|已经(打|报|叫|拨)|\b(already called|called already)\b/i;

export function isLeave(text: string): boolean {
  return isCancel(text);
}

export function isAccept(text: string): boolean {
  return ACCEPT.test(text.trim());
}

/** Asked in the spoken way: 能管不, 修了没, 让不让, 中不中. */
const SPOKEN_QUESTION =
  /呢[？?。～~\s]*$|(?<![不没都也样个得])(不|没|没有|不能|不行|不中|不成|不对|不是)[啊呀嘞哩？?。～~\s]*$|(?<![不一])(\p{Script=Han})(不|没)\2|有(\p{Script=Han}{1,4})没\4|(\p{Script=Han}{2})不\5/u;

/**
 * Questions that are really protests (有没有人管, 还管不管了): they report
 * trouble rather than ask about a rule, so they do not make a report a question.
 */
const RHETORICAL =
  /(?:(有没有|还有没有|就没有?)人(管|来|修|处理|问)|还管不管|谁(来)?管管|(到底|究竟)?有人管(吗|没有?)?|(咋|怎么)还(不|没)[^，。？?！!]{0,4}|还让不让人[^，。？?！!]{0,3}|(?<!城)(你们|能不能|可不可以|能)?(给|帮)?(俺们|我们)?(管管|管一管|管一下|处理一下|修一下|解决一下))[了吗呀啊呢吧]*[？?！!]*/g;

/** 不知道叫啥小区: not knowing a name says so; it asks nothing. */
const UNKNOWN_NAME =
  /(?:不知道|不晓得|不清楚|不记得|记不清|说不上来?)(?:它|这|那|这个|那个)?(?:小区|楼|院|地方)?(?:叫|是)(?:个)?(?:啥|什么|哪个)(?:名|名字|小区|地方)?(?![？?])|(?:不知道|不晓得|不清楚|说不上来?|说不清|搞不清)[^，。？?]{0,4}(?:哪个|哪|啥)(?:区县|区|县|街道)(?:的|管)?(?![？?])/g;

/** 问了物业凭啥收，回说…: what the resident asked someone else, told. */
const REPORTED_ASK =
  /(?:我|俺)?(?:去)?问(?:了)?(?:他们|她|他|物业|经理|客服|前台|保安)[^，,。？?]{0,16}(?=[，,]\S*(?:说|回|答))/g;

/** 不晓得被谁拿走了: someone unknown, told; nothing asked. */
const SOMEONE_UNKNOWN =
  /(不知道|不晓得|不清楚|也不知)(是|叫|被|让|给)?(谁|哪个|啥人|什么人)(?![^，。]*[？?])/g;

export function asksSomething(text: string): boolean {
  const t = text
    .replace(REPORTED_ASK, "，")
    .replace(RHETORICAL, "，")
    .replace(UNKNOWN_NAME, "，")
    .replace(SOMEONE_UNKNOWN, "，");
  // 成立业委会的流程 asks by naming the thing; a long story that ends in 不给办手续 does not.
  const named = t.trim().length <= ASKED_THING_MAX_CHARS && ASKED_THING.test(t.trim());
  return ASKS.test(t) || SPOKEN_QUESTION.test(t.trim()) || named || EITHER_OR.test(text);
}

export function tellsTrouble(text: string): boolean {
  return TROUBLE.test(text);
}

// After a complaint is filed or looked up, the few words that ask after it again.

/** About the complaint just looked up: its number, where it was filed from, look again. */
const ABOUT_THE_LOOKUP =
  /\d{4,}|编号|单号|号码|这个号|微信|手机号|打错|输错|写错|忘了|记不(得|清)|看看|查查|再查|查一下|帮我(看|查)|那咋办|那怎么办|怎么查不到|咋查不到|没查到|查不到|没报上|报上了|没提交上|提交上了|没登记上|登记上了|收到了吗|没收到/;

export function goesOnWithProgress(text: string): boolean {
  return text.length <= 30 && ABOUT_THE_LOOKUP.test(text) && !judgeScope(text).inScope;
}

/** A nudge on its own (帮我催一下) asks after the resident's complaint. */
const NUDGE_MAX_CHARS = 16;
/** Asking for it to be hurried. */
const NUDGE = /催(一下|一催|催|下)|加急|快点(处理|办|弄|解决)|抓紧(处理|办|解决)/;
/** The matter already reported, named without its number. */
const THE_MATTER =
  /(我|俺)(的|那个|那件|报的|反映的|投诉的|登记的)(事儿?|单子|工单|问题|投诉|反映|情况)|(我|俺)(投|报|提|交|递)(上去)?的(那个|那件|那张|那条)?[^，。？?]{0,6}(单子|工单|投诉|事儿?)|(那|这)(个|件)(事儿?|投诉|单子|工单)|报上去|反映的问题|投诉的(事|问题)/;
/** How it is going, in everyday words. */
const HOW_IT_GOES =
  /解决了?(没|吗|没有)|办得?(咋样|怎么样)|有人(管|来|清|修|处理|理)了?(没|吗|没有)?|还没(人)?(处理|来|管|修|清|动)|回音|回复|动静|信儿|准信|(啥|什么)时候|怎么样了|咋样了|到哪(了|一步)|呢[？?]*$/;

/** 我的工单呢 / 街道那边有回复吗 / 都一个礼拜了还没人处理: about the filed matter on their own. */
const ABOUT_FILED =
  /^(我|俺)的?(工单|单子|投诉)(呢|嘞|啊)?[？?]*$|^(投诉|反映|工单|单子)[^，。]{0,3}(有)?(回音|回复|动静|信儿|结果)|(街道|社区|住建|部门|那边|上面)[^，。]{0,4}(有)?(回复|回音|答复|消息|动静)/;
/** 都一个礼拜了还没人处理: how long it has waited, with no new trouble named. */
const STILL_WAITING =
  /(都|已经)?[一两三四五六七八九十几\d]+(天|个?礼拜|个?星期|周|个月)了[^，。]{0,4}还没(人)?(处理|来|管|修|清|动|回)/;

/** The waiting message names the thing the filed complaint is about (门禁 … 门禁坏了好几天). */
function namesFiledThing(text: string, about: string | undefined): boolean {
  if (!about) return false;
  for (const m of text.matchAll(/(?=(\p{Script=Han}{2}))/gu)) {
    const pair = m[1] ?? "";
    if (!/[了还都没人来已经天周月]/u.test(pair) && about.includes(pair)) return true;
  }
  return false;
}

/** Right after filing, a few words on what happens next (然后呢, 多久能修好, 谁来处理). */
const WHAT_NEXT =
  /然后呢|接下来|下一步|多久|几天|(什么|啥)时候|谁(来)?(处理|管|负责)|联系我|通知我|快点|加快|处理|修好|有人来|编号|结果/;
const WHAT_NEXT_MAX_CHARS = 16;

export function asksAfterFiled(text: string, filedAbout?: string): boolean {
  if (text.length > 30) return false;
  const topical = judgeScope(text).inScope;
  return (
    (text.length <= WHAT_NEXT_MAX_CHARS && WHAT_NEXT.test(text) && !topical) ||
    NUDGE.test(text) ||
    ABOUT_FILED.test(text) ||
    (STILL_WAITING.test(text) && (!topical || namesFiledThing(text, filedAbout))) ||
    (THE_MATTER.test(text) && HOW_IT_GOES.test(text))
  );
}

/**
 * A problem told, not a topic named: the complaint cues are strong (what the
 * classifier and the place say), or trouble is told in so many words.
 */
export function tellsProblem(text: string): boolean {
  const score = complaintSignal(text).score;
  return (
    score >= PROBLEM_SCORE ||
    (score >= 3 && TROUBLE.test(text)) ||
    // Trouble with a property-management thing (楼顶漏水) needs no further cue.
    (score >= 2 && TROUBLE.test(text) && judgeScope(text).inScope)
  );
}

/**
 * A danger told as happening (已经困住了，怎么办) is live even when it comes with a question.
 * Asking what to do about it (煤气味很冲，咋办) is asking in the middle of it.
 */
function liveEmergency(t: string, urgency: string | undefined, asks: boolean): boolean {
  if (urgency !== "emergency" || NOT_NOW.test(t)) return false;
  return (
    !asks ||
    /[！!]|快|救命|赶紧|现在|正在|还在|在(冒|着|烧|打|漏|响|往)|了|(怎么|咋|如何)(办|弄|整|处理|做)|咋整|找谁|联系谁|打(什么|哪个|啥)电话|应该|该(怎么|咋|找|打|联系)|要不要(开窗|报警|打|跑|出去|下楼|关)|(着|在|有)[^，。？?]{0,4}呢[！!。～~\s]*$|(很|好|特别|太|挺)(大|冲|浓|重)|\bwhat (should|do|can) (i|we) do\b|\bright now\b|\bhelp\b/i.test(
      t,
    )
  );
}

/**
 * `onTopic`: a property matter is being talked about in this chat, so a request to file that
 * names no topic of its own (他们一直不公布，帮我登记) is about it.
 */
export function readIntent(text: string, hasOffer: boolean, onTopic = false): Intent {
  const t = text.trim();
  // Who to call comes first, whatever else the message says (a fire told while dropping the subject).
  // Read once: the danger, the vent and the complaint checks below all use them.
  const urgency = extractUrgency(t);
  const asks = asksSomething(t);
  if (liveEmergency(t, urgency, asks))
    return { kind: "complaint", emergency: true, explicit: complaintSignal(t).explicit };
  if (FULL_TEXT.test(t)) return { kind: "full_text" };
  if (MORE.test(t)) return { kind: "more" };
  if (HELP.test(t)) return { kind: "help" };
  // Saying they will wait for news is a thank-you, not a question about progress.
  if (WAITING.test(t)) return { kind: "smalltalk" };
  // A case number in some other desk's form is still asked after.
  if (!CASE_NUMBER.test(t) && OTHER_NUMBER.test(t) && t.length <= PROGRESS_MAX_CHARS)
    return { kind: "progress" };
  const number = t.match(CASE_NUMBER)?.[0];
  // Our own case number, whatever polite words come with it (请帮忙看看编号…现在到哪一步了), is looked up.
  if (number && t.length <= CASE_NUMBER_MESSAGE_MAX_CHARS)
    return { kind: "progress", caseNumber: caseNumberOf(number) };
  const bareStatus = t.length <= 16 && PROCESS_STATUS.test(t) && !judgeScope(t).inScope;
  // 投诉一般多久有结果 asks how complaints go in general; only one's own complaint is looked up.
  const inGeneral = ABOUT_COMPLAINTS_IN_GENERAL.test(t) && !ONES_OWN.test(t);
  // 我要投诉 asks to file something new, however the story before it ends (…宣布结果了).
  // A question about what the company is bound to do (义务) asks nobody to file.
  const requested = REQUEST.test(t) && !DUTY_QUESTION.test(t);
  const filesNew = requested && !/(投诉|反映|登记|举报)(的|过)/.test(t);
  const ownCase =
    PROGRESS_ALONE.test(t) ||
    PROGRESS_EN.test(t) ||
    LOOK_UP.test(t) ||
    CASE_FIRST.test(t) ||
    WAITED.test(t) ||
    (CASE_NOUN.test(t) && CASE_STATUS.test(t) && t.length <= PROGRESS_MAX_CHARS) ||
    LOST_NUMBER.test(t) ||
    MY_TICKET.test(t) ||
    (NUDGE.test(t) && t.length <= NUDGE_MAX_CHARS) ||
    (MY_CASE.test(t) && /呢[？?]*$/.test(t) && t.length <= MATTER_ALONE_MAX_CHARS) ||
    // A long message telling what happened after complaining (反映了，结果经理上门骂) is a new complaint.
    (MY_CASE.test(t) &&
      STATUS_WORDS.test(t) &&
      t.length <= PROGRESS_MAX_CHARS &&
      !filesNew &&
      // 还说那个事，要是…怎么算 supposes; a case is asked after as it stands.
      !HYPOTHETICAL.test(t));
  if ((ownCase && !inGeneral && !ELSEWHERE.test(t) && !OTHER_REGISTRATION.test(t)) || bareStatus)
    return { kind: "progress", ...(number ? { caseNumber: caseNumberOf(number) } : {}) };
  // 好 right after an offer is a yes to it, not small talk.
  if (hasOffer && isAccept(t)) return { kind: "accept" };
  if (isSmalltalk(t)) return { kind: "smalltalk" };
  if (isLeave(t)) return { kind: "leave" };

  const signal = complaintSignal(t);
  // 房东不退押金 is trouble, but not the kind the sources or the case desk handle.
  const othersBusiness = clearlyOffTopic(t);
  // Venting first: ask what happened before answering a rule or filing anything.
  const rest = t.replace(VENT, "");
  if (
    rest.length < t.length &&
    !asks &&
    !signal.explicit &&
    !TROUBLE.test(rest) &&
    !reportsPlace(t) &&
    urgency === undefined &&
    // Anger at a shop or a carrier is still not the estate's matter: it is redirected, not probed.
    !othersBusiness
  )
    return { kind: "vent" };
  // 条例第九十九条怎么写的: an article named by number is looked up, whatever else is said.
  if (ARTICLE_NUMBER.test(t)) return { kind: "question", aboutProblem: false };
  // 不想投诉了 or 怎么投诉 names a complaint without asking to file one.
  const notARequest =
    /(不|别|没)(想|要|用|打算)?(再)?(投诉|举报|登记|反映)|(怎么|如何|去哪|哪里|向谁|找谁|往哪|上哪|到哪|找哪)(儿|里)?(投诉|举报|反映)|\b(who|where|how|which)\b[^.?!]{0,30}\bcomplain/i;
  // 投诉电话是多少 asks for the number; 投诉电话也没贴 tells what is missing.
  const asksChannel = asks && /投诉(电话|热线|渠道|途径|方式)/.test(t);
  const declined =
    notARequest.test(t) ||
    asksChannel ||
    // The estate's own trouble, told with its district and name, even when the name or the story
    // holds a word of another trade (医院家属院, 洗衣机漏水); trouble that names nothing of the
    // estate beyond the names (娃在课堂上挨了罚) is still another body's.
    (othersBusiness &&
      !(
        extractDistrict(t) !== undefined &&
        ownPlace(t) &&
        tellsProblem(t) &&
        !anotherBodysMatter(t) &&
        toldBesidesNames(t)
      )) ||
    // 帮我报上去 names no topic at all: it asks to file what was just talked about.
    (!judgeScope(t).inScope &&
      // A county named (郏县老家那块地) places trouble; only the estate's name makes it the estate's.
      !ownPlace(t) &&
      !(signal.explicit && t.length <= 16) &&
      !(requested && onTopic));
  // 能举报吗 asks about complaining; 我要投诉 and 帮我反映 ask to complain.
  // 行，你给登记上 right after the offer names no topic of its own: it takes up the offer.
  if (hasOffer && requested && !notARequest.test(t) && !asksChannel && !othersBusiness)
    return { kind: "accept" };
  // 如果我举报…会保密吗 supposes a report and asks about it: it is answered, not filed.
  const supposes = HYPOTHETICAL.test(t) && asks;
  if ((signal.explicit || requested) && !declined && (!asks || requested) && !supposes)
    return { kind: "complaint", emergency: false, explicit: true };
  // A problem told as happening now, not asked about.
  if (!asks && !declined && !HYPOTHETICAL.test(t) && tellsProblem(t))
    return { kind: "complaint", emergency: false, explicit: false };
  // Trouble told with the place named or a phone left is a report that also asks: the answer comes first.
  if (
    asks &&
    !declined &&
    !NOT_NOW.test(t) &&
    tellsProblem(t) &&
    ((TROUBLE.test(t) && reportsPlace(t)) || ownPlace(t))
  )
    return { kind: "complaint", emergency: false, explicit: false };
  // Only a problem the resident has (not a rule they ask about) earns the offer to file it.
  return { kind: "question", aboutProblem: asks && signal.score >= 3 && TROUBLE.test(t) };
}
