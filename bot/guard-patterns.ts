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
  /(重复|复述|照抄|背诵|背|念|输出|翻译)(一下|一遍)?(上面|前面|以上|之前|开头)的?(文字|内容|话|指令|设定|说明)|从[“"'「]?你是/,
  /translate (your|the) (instructions|prompt|rules|system)|repeat (the )?(text|words|everything) above|(text|words|everything) above|word for word|verbatim|my system prompt is/,
  /base64|解码.{0,6}(照着|执行|做)|[a-z0-9+/]{40,}={0,2}/,
  /(别|不要|不用|无需|不许|不准)(再)?(带|引|附|加|说|提|列)(任何)?(法条|条文|依据|法律|出处|条例)|without (citing |quoting |mentioning )?(any )?(laws?|citations?|sources?|articles?)|from now on,? (answer|reply|respond|say|tell)|no citations?|don'?t cite/,
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
  /(帮我|给我|替我|你)(来)?以.{1,12}(的)?名义.{0,10}(写|发|出|起草|拟)/,
  /(写|拟|起草|做)(一|个|份|张)?.{0,8}(假|虚假)的?.{0,6}(通知|公告|证明|决议|收据|发票|合同|签名)/,
  /(你就说|你只要说|你直接说|直接回答|只回答)(是|对|能|可以|不用|合法|违法)/,
  /(确认|证实|承认|同意).{0,10}(第[0-9一二三四五六七八九十百]{1,6}条).{0,20}(规定|写着|说)/,
  // Filing in someone else's name, under made-up names, or in bulk.
  /(以|用|拿|冒用|借用|盗用)[^，。,]{0,8}(名字|名义|身份|身份证|手机号)[^，。,]{0,10}(投诉|举报|反映|登记|提交|报警)/,
  /(他|她|本人|人家)(并)?不知道[^。]{0,10}(投诉|举报|提交)|(投诉|举报|提交)[^。]{0,20}(他|她|本人|人家)(并)?不知道/,
  /换(个|一个|不同的?)?(名字|名义|号码|身份|手机号)|刷(爆|屏|单)|(投诉|举报)[^，。]{0,6}(一百|上百|几十|几百|[0-9]{2,})(次|遍|回)|(连续|反复|天天)[^，。]{0,4}(投诉|举报)[^，。]{0,6}(次|遍)/,
  /(身份证号?|名字|手机号|电话)[^，。]{0,4}(我|你)?(随便|瞎)?编(一个|个)?/,
  // Making a report worse than what happened.
  /(写|说|报)(得|的)?(严重|夸张|吓人|狠)(一)?点|往(严重|大)(了|里|处)?(写|说)|添油加醋|(夸大|编)(一下|一点|点)/,
  /其实(没|没有|并没)(这|那)?(事|回事|开会|发生)|根本没(这|那)(事|回事)|走个形式|逼(他|她)(家|们)?(搬走|走人|搬家)/,
  /(起草|写|做|弄)(一|个|份|张)?.{0,6}(决议|签名|会议纪要|表决结果|公告|通知).{0,24}(其实|实际上|根本)(没|未|不)/,
  /(你就说|你直接说|你就告诉|你就回答|你确认一下|帮我确认|你帮我确认).{0,40}(规定|允许|第.{1,6}条|文件|〔|号)/,
  /([0-9]{2,}|二十|三十|五十|一百|几十|上百)(次|遍|回)的?(投诉|举报)|(连着|连续|反复)(提交|投诉|举报)|每次换(个)?(说法|名字|号|身份)/,
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
  // Who complained about me: the reporter is protected.
  /(谁|哪个人|哪家|哪户|哪个业主)(在)?(投诉|举报|反映|告)了?(的)?(我|俺)/,
  /(投诉人|举报人|反映人)(是谁|是哪|的(名字|姓名|电话|手机|信息|住址))/,
  // Someone's ID number or home, whoever they are: never given.
  /身份证(号|号码)?.{0,10}(查|给我|告诉|发|多少)|(查|给我|告诉我|发我|找出).{0,24}(身份证|家庭住址|住哪|住在哪|住几楼|哪栋哪户|家在哪)/,
  /(住哪个小区|住哪栋|住哪|住在哪|家在哪).{0,12}(地址|给我|告诉我|发我)|把.{0,6}地址(给|发)我/,
  /(id|identity) card|home address|(phone|mobile) number of|give me (his|her|their) (phone|number|address|id)/,
];

/** Insults, threats or incitement against a person. */
export const ABUSE_PATTERNS: RegExp[] = [
  /(帮我|替我|给我)?(骂|辱骂|侮辱|诋毁|羞辱).{0,12}(越难听越好|一下|他|她|主任|经理|物业|业委会)/,
  /(去|到).{0,6}(家门口|楼下)?(堵他|堵她|找他算账|找她算账|揍|打他|打她)/,
  /让大家去找(他|她)算账|人肉/,
  // Harm to a person or their property, or getting into their home.
  /(让|叫|害)(他|她|他们|人家)(摔|滑倒|受伤|出事|倒霉|吃点苦头)|撒(点|些)?(油|钉子|玻璃)|下(毒|药)|(剪|割|弄断|拔)(掉)?(他|她|人家|邻居|楼上|楼下)(家)?的?(电线|水管|网线|电源)|(砸|划|扎|放气)[^，。]{0,3}(他|她|人家|邻居)的?(车|车胎|玻璃|窗户)/,
  /(溜进|撬开?|偷偷打开|偷偷进)[^，。]{0,3}(他|她|人家|邻居|楼上|楼下)的?(家|屋|门)/,
  // A report made out of spite.
  /(堵|围|砸|冲)(了|住)?.{0,8}(办公室|大门|家门)|(叫|喊|找)(上)?.{0,6}(几十|二十|十几|一群|一帮)?个?人.{0,10}(去|来)?(堵|围|闹|打)|闹大(点|些)?|围攻|轮流.{0,12}(打电话|骚扰|敲门)|让(他|她)(睡不成|睡不着|不得安宁|没法过)|(骚扰|吓唬|恐吓)(一下)?(他|她|他们|人家)|找人(卸|揍|打|收拾|砸)|卸(他|她)家(的)?门/,
  /(nasty|insulting|threatening|abusive|mean|humiliating) (message|post|text|note)|call(ing)? (him|her|them|my neighbou?r)[^.?!]{0,40}(thief|liar|idiot|scum|crook)|\bharass|\bthreaten|\bdox/,
  /看(他|她|他们|人家)不顺眼|(就是|只是|我)?想(整|治|搞)(一下)?(他|她|他们|人家)|出(口)?恶气|(要|想)报复(他|她|他们|一下)/,
];

/**
 * Asking how to break the law or get round a facility or a duty. Only in the
 * shape of a request (怎么/教我/帮我…): "物业拆了监控" and "有人偷电" are
 * complaints, not requests.
 */
const HOW = "(怎么|如何|咋|教我|帮我|有没有办法|有啥办法|什么办法|能不能)";
export const UNLAWFUL_PATTERNS: RegExp[] = [
  new RegExp(
    `${HOW}.{0,8}(破解|复制|撬开?|偷用|盗用|绕过|私改|改装)了?.{0,6}(门禁|电表|水表|燃气表|监控|摄像头|车位锁|地锁|道闸|门锁)`,
  ),
  new RegExp(`${HOW}.{0,10}(不被|不让|逃过|躲过|避开|逃避).{0,6}(发现|查到|处罚|罚款|监控|执法)`),
  new RegExp(`${HOW}.{0,6}(偷|蹭|盗)(电|水|气|网)`),
  new RegExp(`${HOW}.{0,6}(报复|整一下|整整|教训)`),
  new RegExp(`${HOW}.{0,8}(改|动|调|拆)(一下|一改|动)?.{0,4}(电表|水表|燃气表|气表)`),
  /(电表|水表|燃气表|气表).{0,10}(少交|少走|倒转|不走字|走慢)/,
  /黑进|黑掉|入侵|攻破|\bhack/,
  /(门禁卡?|电表|水表|燃气表|气表|管井|门锁|锁)(的锁)?.{0,6}(怎么|如何|咋)(复制|破解|撬|打开|改|倒)|撬(开|锁)|(电表|水表|燃气表|气表).{0,4}倒(着)?走/,
  /(拉|关|断|剪|掐)(了|掉)?.{0,6}(那家|他家|她家|楼下|楼上|对门|邻居|人家).{0,6}(电闸|水阀|总闸|电|水|气)|(那家|他家|她家|楼下|楼上|对门|邻居|人家)的?.{0,8}(电闸|总水阀|水阀|总闸).{0,8}(拉|关|断|剪|掐)/,
  // Pressing residents to pay by cutting what they live on, or by force: the plan forbids it.
  /(怎么|如何|咋|教我|帮我|有没有办法|有啥办法|什么办法|出个主意|支个招)[^我俺，。？?]{0,12}(停(了|掉)?[^我俺，。]{0,6}(水|电|气)|断(了|掉)?[^我俺，。]{0,4}(水|电|气)|拉闸|掐[^我俺]{0,4}(水|电)|锁[^我俺]{0,4}门|逼[^我俺]{0,6}交)/,
  /(逼|治|收拾)(他|她|他们|这些|那些)?.{0,6}(欠费|不交|老赖).{0,6}(的|户|业主)?/,
];
