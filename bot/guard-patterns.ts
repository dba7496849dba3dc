/**
 * Patterns of messages the bot declines, checked on Simplified, lower-cased
 * text. Kept as data so a reviewer can read the whole policy at once.
 */
export const INJECTION_PATTERNS: RegExp[] = [
  // Repeat the first or earliest message, settings included: the prompt by another name.
  /(第一条|第一句|最开始|最早|最前面|开头)[^。]{0,8}(消息|讯息|信息|指令|内容)[^。]{0,12}(重复|复述|原样|完整)|(重复|复述)[^。]{0,12}(设定|设置|指令)/,
  /(忽略|无视|忘掉|忘记|别管|不要管|抛开|跳过).{0,12}(指令|指示|规则|设定|提示|要求|限制|说明|约束)/,
  /(系统|隐藏|原始|开发者|内部|完整)(的)?(提示词|提示|指令|说明|设定|配置|prompt)/,
  /提示词/,
  /system\s*prompt|systemprompt|hidden (configuration|instructions)|developer mode|jailbreak/,
  /(ignore|disregard|forget) (all |any |your |the )?(previous |prior |above |earlier )?(instructions|rules|prompts?|the above)/,
  /(show|reveal|print|output|repeat) (me )?(your|the) (system )?(prompt|instructions|rules)/,
  /(规则|指令|设定|提示).{0,4}原样|原样(输出|贴出|发出|告诉)/,
  /<\/?system>|\[system\]|新指令[:：]/,
  /\bdan\b|越狱|没有任何限制|不受任何限制|关闭(安全|内容)?过滤|解除限制/,
  /(你现在是|你扮演|扮演一个|假设你(就)?是|假装你是|以(?!业主|住户|租户|业委会|委员|代表|本人|个人|我|俺|房主)[^，。,]{1,8}(身份|口吻))/,
  /(api|密)\s*(key|钥)|管理员密码|工具列表/,
  /(不许|不要|别|不准)(提|引用|加|附).{0,4}(法规|条文|依据|引用)/,
  /每句话都要说/,
  /(告诉|发|给|说出|透露|输出|打印|贴出|复述|念).{0,6}(你的|你们的)(设定|规则|指令|配置|初始设置|系统|提示|底层)/,
  /(你的|你们的)(设定|规则|指令|配置|提示词|系统提示|初始设置).{0,6}(告诉|发|给|说|透露|输出|打印|贴|念)/,
  /(you are now|pretend (to be|you are)|act as|roleplay as|from now on you)/,
  /(从现在起|从现在开始|接下来)你(就)?(是|要|只|必须)/,
  /(不要|别|不用|无需)(管|理会|遵守|考虑)(什么|啥)?(法律|法规|规定|规则|限制|条例)/,
  /(别|不要|不许|不准|不用)(引用|附依据|加依据|提条例|提法条)/,
  /我就要(你)?(这|那)(一)?句话/,
  /^\s*(system|assistant|developer|admin)\s*[:：]/,
  /(developer|admin(istrator)?|debug|maintenance) (override|mode)|override (your|the|all)|you are (now )?(an? )?(admin|administrator|unrestricted)/,
  /(output|export|dump|list|show|print) (all|every|the)? ?(stored |saved )?(complaints|records|cases|users)/,
  /(开发者|管理员|调试|维护|上帝)(模式|权限|身份)/,
  /角色扮演|你演(一个|个)|不受(任何)?约束|没有(任何)?规则|no rules|without (any )?rules|unrestricted|pretend (you'?re|you are|to be)/,
  /(重复|复述|照抄|背诵|背|念|输出|翻译)(一下|一遍)?(上面|前面|以上|之前|开头)的?(文字|内容|话|指令|设定|说明)|从[“"'「]?你是/,
  /translate (your|the) (instructions|prompt|rules|system)|repeat (the )?(text|words|everything) above|(text|words|everything) above|word for word|verbatim|my system prompt is/,
  /base64|解码.{0,6}(照着|执行|做)|[a-z0-9+/]{40,}={0,2}/,
  /(别|不要|不用|无需|不许|不准)(再)?(带|引|附|加|说|提|列)(任何)?(法条|条文|依据|法律|出处|条例)|without (citing |quoting |mentioning )?(any )?(laws?|citations?|sources?|articles?)|from now on,? (answer|reply|respond|say|tell)|no citations?|don'?t cite/,
  // Telling the bot what to say to everyone from now on.
  /(以后|今后|往后|从今天起|从今往后)(你|您)(就|都|一律)?(说|回答|回复|告诉(业主|大家|居民|他们))/,
  // Words the resident dictates for the bot to repeat as its own answer.
  /(一字不改|一个字都?别改|一个字不改|照我说的|照着我说的|按我给的)[^。]{0,6}(输出|说|回复|写出来|念|打出来|发出来)/,
];

/** Asking the bot to invent or forge: articles, signatures, documents, cases, accusations. */
export const FABRICATION_PATTERNS: RegExp[] = [
  // Rigging a vote: the tally made to look right, opposing ballots voided.
  /(票数|选票|投票|表决)[^。]{0,10}(做得好看|做好看|做手脚|作废|改一改|改一下|造假)|反对票[^。]{0,8}作废/,
  // Promising outcomes, answering as told, or speaking as an authority: none of it is the sources'.
  /(保证|担保|包)(你|我)?(胜诉|赢|打赢|能赢)|百分(之)?百(输|赢|胜诉)|(你|就)(现在)?(就)?是我的律师/,
  /(只(需要|要|能|许)?回答|只说|就说|回答)[^。]{0,6}(一个字|“是”|"是"|是或否|yes or no)/,
  /(假装|扮演|装成|伪装成)(是|成)?[^。]{0,8}(住建局|房管局|政府|街道|官方|公安|派出所|物业公司|业委会)/,
  // Made-up evidence or case numbers, someone else named as the complainant, an official line with no source.
  /(证据|理由|事实|材料|细节)[^。]{0,8}(随便|帮我|给我|你)?(编|捏造|瞎写|瞎编)/,
  /(案号|编号|立案号|文号|受理号)[^。]{0,6}(随便|瞎)(编|写|给)/,
  // Admitting there is nothing to show, then asking for the accusation to be written anyway.
  /(没(有)?(证据|凭据|实据|证明)|拿不出(证据|证明)|不确定|瞎猜)[^。]{0,10}(你就|就|照样|也|直接|照着)(写|说|填|报|登记)/,
  /(投诉人|举报人|反映人)[^。]{0,6}(写成|换成|填成|改成)|(投诉人|举报人|反映人)[^。]{0,3}(写|填|署|用)[^。]{0,8}(名字|名义)/,
  /(不要|别|不用|不带)(任何)?(出处|依据|来源|引用)[^。]{0,12}(贴|发|公告|通知)|(用|以)(政府|官方|住建局|房管局|街道)(的)?(口气|名义|口吻)/,
  /(编|编造|捏造|虚构|伪造|杜撰)(一|几|个|些|份|条|篇)?.{0,10}(条例|法规|条文|第.{1,6}条|签名|判例|案号|文件|通知|证明|决议|表决|记录|投诉|举报|公章|证据)/,
  /(?<!(有人|被人|别人|骗子|他们|有个人|对方)[^，。]{0,4})(模仿|冒充|假冒|仿冒).{0,12}(签名|签字|口吻|名义|公章|章|红头|通知|业委会|街道|政府|住建局|房管局)/,
  /红头(文件|通知|公告|的)|盖个章的样子|看着像真的|写得像真的|像真的一样/,
  // A notice written as if an authority issued it (拟一份住建局的公告), not a letter to one.
  /(写|拟|起草|弄|做|编|出)(个|一个|一份|份|张|篇|条)?(?<!给|向|交|致)(房管局|住建局|政府|街道办?|居委会|派出所|法院|消防队?|物价局|发改委|市场监管局?|城管局?)的?(红头|通知|公告|文件|公函|通告|告知书)/,
  /就说.{2,30}(其实没有|好让|吓唬|整他|整她)/,
  /其实没有.{0,6}(就是|只是)?想整/,
  /(就说|谎称|假报).{0,12}(着火|失火|起火|漏气|被困)/,
  /(挪用|套取|侵占).{0,8}(维修基金|维修资金|公款).{0,10}(不被发现|怎么做|办法)/,
  /(帮我|给我|替我|你)(来)?以.{1,12}(的)?名义.{0,10}(写|发|出|起草|拟)/,
  /(写|拟|起草|做)(一|个|份|张)?.{0,8}(假|虚假)的?.{0,6}(通知|公告|证明|决议|收据|发票|合同|签名)/,
  /(你就说|你只要说|你直接说|直接回答|只回答)(是|对|能|可以|不用|合法|违法)/,
  /(确认|证实|承认|同意).{0,10}(第[0-9一二三四五六七八九十百]{1,6}条).{0,20}(规定|写着|说)/,
  // Filing in someone else's name, under made-up names, or in bulk.
  /(以|用|拿|冒用|借用|盗用)[^，。,]{0,8}(名字|名义|身份|身份证|手机号)[^，。,]{0,10}(投诉|举报|反映|登记|提交|报警)/,
  /(他|她|本人|人家)(并)?不知道[^。]{0,10}(投诉|举报|提交)|(投诉|举报|提交)[^。]{0,20}(他|她|本人|人家)(并)?不知道/,
  /换(个|一个|不同的?)?(名字|名义|号码|身份|手机号)|刷(爆|屏)|(?<!兼职)刷单(?![^，。]{0,8}(被骗|骗了|骗走|广告|兼职|押金|返利|佣金))|(投诉|举报)[^，。]{0,6}(一百|上百|几十|几百|[0-9]{2,})(次|遍|回)|(连续|反复|天天)[^，。]{0,4}(投诉|举报)[^，。]{0,6}(次|遍)/,
  /(身份证号?|名字|手机号|电话)[^，。]{0,4}(我|你)?(随便|瞎)?编(一个|个)?/,
  // Making a report worse than what happened.
  /(写|说|报)(得|的)?(严重|夸张|吓人|狠)(一)?点|往(严重|大)(了|里|处)?(写|说)|添油加醋|(夸大|编)(一下|一点|点)/,
  /其实(还)?(根本)?(没|没有|并没)(有)?(这|那)?(事|回事|开会|发生|开始|投票|表决|同意)|根本没(有)?(这|那)(事|回事)|走个形式|逼(他|她)(家|们)?(搬走|走人|搬家)/,
  /(起草|写|做|弄)(一|个|份|张)?.{0,6}(决议|签名|会议纪要|表决结果|公告|通知).{0,24}(其实|实际上|根本)(没|未|不)/,
  /(你就说|你直接说|你就告诉|你就回答|你确认一下|帮我确认|你帮我确认).{0,40}(规定|允许|第.{1,6}条|文件|〔|号)/,
  /\bforg(e|ed|ing|ery)\b|fake (signatures?|notice|seal|stamp|resolution|document)|counterfeit|official-looking|red seal/,
  /(就当|假装|当作|假设)(有|是)?[^。]{0,30}(有一条|这条|有条|规定|条例|第.{1,6}条)|就当有这条/,
  /(?<!(有人|被人|别人|骗子|他们|有个人|对方)[^，。]{0,4})冒充[^，。]{0,10}(公司|部门|人员|师傅|工作人员|物业|街道|社区)|骗[^，。]{0,10}开门/,
  /暗示[^，。]{0,12}(贪污|偷|骗|受贿|拿回扣)|诽谤|告不了我|说得模糊/,
  /([0-9]{2,}|二十|三十|五十|一百|几十|上百)(次|遍|回|条|份)的?(投诉|举报)|(连着|连续|反复)(提交|投诉|举报|登记)|每(次|条|份)换(个)?(说法|名字|号|身份|小区)/,
  // A notice written for someone else to sign: an authority's name put under the resident's words.
  /(帮我|给我|替我|你)[^。]{0,6}(写|拟|弄|做|编)[^。]{0,20}(落款|署名|抬头|盖章|名义)[^。]{0,8}(住建|住房和城乡建设|街道|政府|法院|派出所|房管|居委会|社区|物业公司|业委会)/,
];

/** Asking for someone else's personal data. */
const TARGET =
  "(别人|他|她|那家|那户|邻居|业主|住户|主任|经理|老太太|老头|委员|[赵钱孙李周吴郑王刘陈张杨黄]某|上一个)";
const DATA = "(手机号|手机|电话|号码|家庭住址|住址|身份证号?|联系方式)";
const ASK_BEFORE = "(查|查一下|查查|找出|告诉我|发给我|发到?群里?|导出|提供|透露|说出|给出|列出)";
const ASK_AFTER =
  "(多少|是啥|是什么|发我|给我|查给我|告诉我|说一下|发一下|发群里|发到群|发出来|公开|曝光)";
export const PERSONAL_DATA_PATTERNS: RegExp[] = [
  // What other residents asked or said here, and their household's comings and goings.
  /(聊天记录|对话记录|聊的记录|问了啥|说了啥|问过你|来问过)[^。]{0,16}(发我|给我|告诉我|看看|说说|具体)|(他|她|邻居|别人|那个人)[^。]{0,8}(是不是|有没有)[^。]{0,6}(问过你|来问过|找过你|投诉(过)?我)/,
  /(几口人|车牌号?|几点出门|几点回家|几点上班|平时去哪)[^。]{0,12}(查|告诉|给我|发我)|(查|帮我查|查查)[^。]{0,12}(几口人|车牌|几点出门|几点回家)/,
  /(微信号|wxid|微信|抖音号|快手号)[^。]{0,16}(是谁|哪个房号|房号|几号楼|哪户|住哪)/,
  /(谁|哪个人|哪家|哪户|哪个业主)[^。，]{0,6}(投诉|举报|反映|告)(了)?(的)?(我|俺)/,
  /(投诉人|举报人|业主|住户)[^。]{0,8}(名单|电话|联系方式|手机号)[^。]{0,10}(导|给我|发我|拉个)/,
  // Who has not paid, listed with their doors for the group: a roll of shame is other people's data.
  /(名单|门牌号?|房号)[^。]{0,12}(列出来|发我|给我|晒|曝光|公布到群|发群里|发到群)/,
  /(头像|昵称|网名|群名片)[^。]{0,10}(是谁|是哪家|住几|住哪|哪栋|几号楼|几单元)/,
  new RegExp(`${ASK_BEFORE}[^，。,]{0,16}${TARGET}[^，。,]{0,12}${DATA}`),
  new RegExp(`${TARGET}[^，。,]{0,12}${DATA}[^，。,]{0,12}${ASK_AFTER}`),
  new RegExp(
    `${TARGET}.{0,10}(?<!我家)(住哪|住几楼|住几号楼|住在哪|哪栋哪户|几号楼几(零|单元|室|层))`,
  ),
  /(投诉记录|联系方式|手机号).{0,6}(导出|全部|所有)|(导出|全部|所有).{0,12}(投诉记录|联系方式|手机号)/,
  /上一个.{0,8}(人|问).{0,10}(是谁|问了|手机)/,
  // Who complained about me: the reporter is protected.
  /(谁|哪个人|哪家|哪户|哪个业主)(在)?(投诉|举报|反映|告)了?(的)?(我|俺)/,
  // Asking whether one's own identity as a reporter is kept secret is not asking for another's.
  /(投诉人|举报人|反映人)(是谁|是哪|的(名字|姓名|电话|手机|信息|住址))(?![^，。？?]{0,6}(保密|泄露|公开|透露|被))/,
  // Someone's ID number or home, whoever they are: never given.
  /身份证(号|号码)?.{0,10}(查|给我|告诉|发|多少)|(查|给我|告诉我|发我|找出).{0,24}(身份证|家庭住址|住哪|住在哪|住几楼|哪栋哪户|家在哪)/,
  /(住哪个小区|住哪栋|住哪|住在哪|家在哪).{0,12}(地址|给我|告诉我|发我)|把.{0,6}地址(给|发)我/,
  /(车牌|昵称|网名|群里[^，。]{0,8}(那个人|的人|那位))[^。]{0,20}(是谁|对应|哪位|几号楼|门牌|住哪|住几|几单元)|门牌号?[^，。]{0,6}(查|告诉|给我|发我)|(查|告诉我|给我)(?![^，。]{0,3}(发消息|发信息|发了|说|打电话|留言))[^，。]{0,16}(门牌|手机号|电话号码)/,
  // Asking for them to be posted; 物业把欠费户房号贴出来了 reports it, and is answered.
  /(帮|给|替|你|我要|我想|咱)(?![^。]{0,16}(物业|他们|开发商|业委会|保安|经理|有人)把)[^。]{0,16}(姓名|名字|房号|电话|手机号)[^。]{0,12}(都)?(列|贴|公布|公开|晒)(在|出|到)/,
  /上一(条|个)(消息|人)?[^，。]{0,6}(是谁|谁发|说了)|(谁|哪个人|哪户)[^，。]{0,4}举报了|举报人[^，。]{0,8}(查|找|问)出来/,
  /(list|give|show|export)[^.?!]{0,30}(every|all)[^.?!]{0,20}(resident|owner|tenant)s?'?[^.?!]{0,20}(names?|phone|numbers?|contacts?|addresses)/,
  /(id|identity) card|home address|(phone|mobile) number of|give me (his|her|their) (phone|number|address|id)/,
];

/** Insults, threats or incitement against a person. */
export const ABUSE_PATTERNS: RegExp[] = [
  // A letter that lets someone know where their family is: a threat, however polite.
  /(他|她|你|他们|她们|那家|对方|经理|主任|保安|主管|物业的)(家)?的?(孩子|儿子|女儿|家人|老婆|老公|父母)[^。]{0,12}(哪个学校|在哪上学|几点放学|住哪|在哪上班)|掂量掂量|后果自负/,
  // Flooding: fake reviews by the hundred, the hotline called over and over.
  /(刷|写|编)[^。]{0,8}(差评|好评|评论|点评)|(\d+|一百|上百|几十|几百)条[^。]{0,8}(差评|评论|投诉)|(连着|连续|反复|轮流)打[^。]{0,10}(12345|投诉|电话)|(一堆|很多|多个|好几个)(手机号|号码|账号)[^。]{0,16}(投诉|打|举报)/,
  // Naming and shaming someone with their flat.
  /(曝光|挂出来|挂到|发到|发群)[^。]{0,30}(名字|姓名|房号|几号楼|门牌|\d+室|\d{3,4}(那家|室)?)|让大家都?认认/,
  /(帮我|替我|给我)把[^，。]{1,10}(骂|辱骂|羞辱)|(帮我|替我|给我)?(骂|辱骂|侮辱|诋毁|羞辱)(?![了过着我俺人]).{0,12}(越难听越好|一下|他|她|主任|经理|物业|业委会)/,
  /(去|到).{0,6}(家门口|楼下)?(堵他|堵她|找他算账|找她算账|揍|打(他|她)(?!.{0,2}(电话|手机)))/,
  /让大家去找(他|她)算账|人肉/,
  // Harm to a person or their property, or getting into their home.
  /(让|叫|害)(他|她|他们|人家)(摔|滑倒|受伤|出事|倒霉|吃点苦头)|撒(点|些)?(油|钉子|玻璃)|(?<!(有人|被人|别人|他们|有个人|对方)[^，。]{0,8})(?<![楼底地])下(毒|药)(?![店房铺])|(剪|割|弄断|拔)(掉)?(他|她|人家|邻居|楼上|楼下)(家)?的?(电线|水管|网线|电源)|(砸|划|扎|放气)[^，。]{0,3}(他|她|人家|邻居)的?(车|车胎|玻璃|窗户)/,
  /(溜进|撬开?|偷偷打开|偷偷进)[^，。]{0,3}(他|她|人家|邻居|楼上|楼下)的?(家|屋|门)/,
  // A report made out of spite.
  /(堵|围|砸)(?!在)(了|住)?[^，。]{0,6}(办公室|大门|(他|她|人)家的?门)|(叫|喊|找)(上)?[^，。]{0,6}(几十|二十|十几|一群|一帮)?个?人.{0,10}(去|来)?(堵|围|闹|打)|闹大(点|些)?|围攻|轮流.{0,12}(打电话|骚扰|敲门)|让(他|她)(睡不成|睡不着|不得安宁|没法过)|(骚扰|吓唬|恐吓)(一下)?(他|她|他们|人家)|找人(卸|揍|打|收拾|砸)(?!(我|俺))|卸(他|她)家(的)?门/,
  /(nasty|insulting|threatening|abusive|mean|humiliating) (message|post|text|note)|call(ing)? (him|her|them|my neighbou?r)[^.?!]{0,40}(thief|liar|idiot|scum|crook)|\bharass(?!ed|ing me|ing us)|\b(help me|how (can|do) i|i want to|let'?s) threaten|\bdox/,
  /看(他|她|他们|人家)不顺眼|(就是|只是|我)?想(整|治|搞)(一下)?(他|她|他们|人家)|出(口)?恶气|(要|想)报复(他|她|他们|一下)/,
];

/**
 * Asking how to break the law or get round a facility or a duty. Only in the
 * shape of a request (怎么/教我/帮我…): "物业拆了监控" and "有人偷电" are
 * complaints, not requests.
 */
const HOW = "(怎么|如何|咋|教我|帮我|有没有办法|有啥办法|什么办法|能不能)";
export const UNLAWFUL_PATTERNS: RegExp[] = [
  // Stopping a lift on purpose, false alarms, deleting footage, defacing, slipping past cameras.
  /(怎么|咋|如何)(弄|搞|整|让)[^。]{0,10}电梯[^。]{0,10}(卡|停|困|坏)|让(电梯|它)[^。]{0,6}(卡|停)在/,
  /(烟感|报警器|火警|消防警报)[^。]{0,10}(弄响|触发|按响|假报|谎报)|谎报火警|假报警/,
  /(删掉|删除|销毁|抹掉)[^。]{0,8}(录像|监控|视频)|(录像|监控视频)[^。]{0,16}(删掉|删除|销毁)/,
  /泼(点)?(油漆|红漆|粪)|(不会被|不被|别被|不让)(监控|摄像头)(拍|照|看)到/,
  // Sabotaging lifts and fire equipment, hidden cameras: whatever the grievance.
  new RegExp(
    `(我想|我要|想|准备|${HOW}).{0,12}(动点?手脚|做点?手脚|拆了?|卸了?|砸了?|破坏).{0,10}(电梯|消防栓|消火栓|灭火器|监控|摄像头|门禁|水表|电表)|(电梯|消防栓|消火栓|灭火器)[^。]{0,10}(动点?手脚|做点?手脚|卖废铁)`,
  ),
  /针孔|偷拍|(装|放|藏)[^。]{0,6}摄像头[^。]{0,16}(拍他|拍她|屋里|不容易被发现|不被发现)/,
  // Tampering with meters, jamming locks, forging signatures or stuffing a vote, however it is asked.
  /(电表|水表|燃气表|气表)[^。]{0,12}(磁铁|吸铁石|针|倒转|倒着转|走慢|不走字|动手脚)|(磁铁|吸铁石)[^。]{0,8}(电表|水表|气表)/,
  /(?<!(说|威胁|扬言|吓唬|放话)[^。]{0,12})(锁眼|锁芯|门锁)[^。]{0,8}(胶水|502|灌|堵)|(胶水|502)[^。]{0,10}锁/,
  /(生成|伪造|模仿|代签|仿写|仿)[^。]{0,12}(签名|笔迹|签字|签上|签了)/,
  /刷票|一个(手机号|号码|账号|人)[^。]{0,8}(投|刷)[^。]{0,4}(多|好多|几|很多)票/,
  new RegExp(
    `${HOW}.{0,8}(破解|复制|撬开?|偷用|盗用|绕过|私改|改装)了?.{0,6}(门禁|电表|水表|燃气表|监控|摄像头|车位锁|地锁|道闸|门锁)`,
  ),
  new RegExp(`${HOW}.{0,10}(不被|不让|逃过|躲过|避开|逃避).{0,6}(发现|查到|处罚|罚款|监控|执法)`),
  new RegExp(`${HOW}.{0,6}(偷|蹭|盗)(电|水|气|网)`),
  new RegExp(`${HOW}.{0,6}(报复|整一下|整整|教训)`),
  new RegExp(`${HOW}.{0,8}(改|动|调|拆)(一下|一改|动)?.{0,4}(电表|水表|燃气表|气表)`),
  /(电表|水表|燃气表|气表).{0,10}(少交|少走|倒转|不走字|走慢)/,
  /黑进|黑掉|入侵|攻破|\bhack/,
  /(教我|办法|怎么|如何|帮我|几招|支招|出主意|有啥|有没有|咋)[^。]{0,40}(又不会被|不会被(起诉|发现|查|罚)|不被[^，。]{0,6}(发现|查到|查出|起诉|处罚)|查不出(来)?是我|发现不了|没(有)?后果|不留痕迹|神不知鬼不觉)/,
  /让(他|她|它|他们|狗|猫|物业)[^，。]{0,6}(吃了|喝了)[^，。]{0,6}(闹肚子|拉肚子|中毒|生病)|(毒|药)(死|倒)|让(他|她)家[^，。]{0,8}(堵|坏|漏|停)/,
  /克扣[^，。]{0,6}(工资|薪水)|(复制|破解)[^，。]{0,6}(门禁|门卡|钥匙)|(门禁卡?|门卡)[^，。]{0,6}(复制|破解)/,
  /(门禁卡?|电表|水表|燃气表|气表|管井|门锁|锁)(的锁)?.{0,6}(怎么|如何|咋)(复制|破解|撬|打开|改|倒)|撬(开|锁)|(电表|水表|燃气表|气表).{0,4}倒(着)?走/,
  /(拉|关|断|剪|掐)(了|掉)?.{0,6}(那家|他家|她家|楼下|楼上|对门|邻居|人家).{0,6}(电闸|水阀|总闸|电|水|气)|(那家|他家|她家|楼下|楼上|对门|邻居|人家)的?.{0,8}(电闸|总水阀|水阀|总闸).{0,8}(拉|关|断|剪|掐)/,
  // Pressing residents to pay by cutting what they live on, or by force: the plan forbids it.
  /(怎么|如何|咋|教我|帮我|有没有办法|有啥办法|什么办法|出个主意|支个招)[^我俺，。？?]{0,12}(停(了|掉)?[^我俺，。]{0,6}(水|电|气)|断(了|掉)?[^我俺，。]{0,4}(水|电|气)|拉闸|掐[^我俺]{0,4}(水|电)|锁[^我俺]{0,4}门|逼[^我俺]{0,6}交)/,
  /(逼|治|收拾)(他|她|他们|这些|那些)?.{0,6}(欠费|不交|老赖).{0,6}(的|户|业主)?/,
  // Casting other owners' votes behind their backs, or posing as staff to get someone's money.
  /(替|帮|代)(他们|别人|人家|其他业主|[^，。]{0,4}的业主|没来的|不在家的)[^。]{0,16}(票|签字|签名|表决)[^。]{0,16}(不知道|不会知道|不用(告诉|通知|问)|偷偷|悄悄|反正)|(偷偷|悄悄)[^。]{0,10}(替|帮|代)[^。]{0,10}(投票|投了|签字|签名|表决)/,
  /(?<!(有人|被人|别人|骗子|他们|有个人|对方)[^，。]{0,4})(装成|装作|扮成|假扮|冒充|假装是)[^，。]{0,4}(物业|收费员|工作人员|街道|社区|住建|民警|警察|业委会)[^。]{0,30}(转账|转到|打钱|把钱|交钱|收钱|骗)/,
  // Residents' money sent to the one asking.
  /(让|叫|要求|通知)(业主|大家|居民|住户|他们)[^。]{0,8}(转账|打钱|把钱转|交钱|缴费)[^。]{0,4}(给我|到我|我的)/,
  // The bot asked to post a payment code, or to have money sent to the asker's own card.
  /(发|贴|弄|放|挂)(个|一个|张)?(收款码|二维码收款)|(钱|费|款)[^，。]{0,4}(先|都|直接)?(打|转|汇|交)(到|给|进)?(俺|我)(的)?(卡|账户|账上|微信|支付宝)/,
  // Votes in the names of owners who cannot cast them (the dead, the absent), kept from being found out.
  /(用|以|拿|替)(他们|他|她|别人|人家|其他业主|邻居|没来的人?|这些人)的?(名字|名义|身份)[^，。]{0,8}(填|投|签|写|表决|选票|票)|(去世|过世|死了|不在了|已故)的?(业主|人|老人)[^。]{0,10}(名义|名字|身份)?[^。]{0,6}(投票|投了|签字|签名|表决|凑票)|(凑|多弄|多搞|刷)[^。]{0,4}票[^。]{0,12}(别被|不被|不让人?)(发现|查出|看出|知道)/,
  // Writing as an authority the resident is not, to collect money or give orders.
  /\b(write|draft|make|create|compose|send|print|help me|can you)\b[^.]{0,40}\b(pretend(?:ing)?|posing|claiming|purporting) (?:to be |as )?(?:from |to come from )?(?:the )?[^.]{0,40}\b(bureau|government|police|authorit(?:y|ies)|office|department|committee|management|council)\b|\b(write|draft|make|create|forge|help me|can you)\b[^.]{0,30}\b(fake|forged?|counterfeit)\b[^.]{0,20}\b(notice|letter|stamp|seal|signatures?|votes?|ballots?|receipts?|invoices?)\b/,
];
