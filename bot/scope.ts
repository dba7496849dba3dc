import {
  englishOffTopic,
  englishSearchTerms,
  mostlyEnglish,
} from "../knowledge/english-glossary.ts";
import { otherBodysRedirect, staffLabour } from "./other-bodies.ts";
import { offTopicProbability } from "./scope-model.ts";
import { DEFAULT_REDIRECT } from "./scope-redirects.ts";

/**
 * Whether a question is about what the sources cover (property management in
 * residential communities). Reviewed word lists; retrieval alone cannot tell,
 * because a weather question still shares words like 平顶山 with the plan.
 */
const STRONG_DOMAIN =
  /物业|业委会|业为会|业主委员会|业主大会|物管会|维修基金|维修资金|大修基金|楼道|消防通道|开发商|建设单位|公共收益|管理规约|群租|条例|民法典|司法解释|整治方案|实施方案|第.{1,6}条/;

const DOMAIN =
  /业主|养(了)?(条|只)?[^，。]{0,6}狗|大狗|烈性犬|大型犬|遛狗|狗屎|狗粪|拴绳|牵绳|犬链|高空抛物|高空(扔|丢|抛|掉)|砸(了|着|到)人|坠物|(扔|丢|抛|掉)[^，。]{0,4}下来[^。]{0,12}砸|花盆|公示|小区|毁绿|种菜|绿化|灵棚|哀乐|办丧事|方案|承重|主体结构|消控室|消防控制室|周汇总|月调度|回头看|工作机制|经营性用房|改成(商铺|门面|超市|饭店|店铺)|砸伤|漏水|渗水|渗漏|往下渗|天花板|楼栋|单元|电梯|消防|车位|车库|停车|装修|公摊|绿地|地下室|楼顶|外墙|屋面|管道|化粪池|垃圾|保安|门禁|电动车|电瓶车|电车|充电|飞线|抛物|噪音|养狗|遛狗|宠物|犬|邻居|楼上|楼下|住建局|房管局|街道|社区|居委会|12345|停水|停电|断水|断电|交房|投票|表决|换届|罢免|筹备|业户|楼房|住宅|房屋|共有|共用|违建|搭建|占用|堆放|广场舞|扰民|闹腾|吵闹|文明|烟花|不文明|委员|灭火器|消火栓|消防栓|整治|排查|举报|投诉|责令|公共区域|公共部分|公共部位|城管|公安|房子|产权|购房|买房|入住|分摊|配电|电线|电缆|电箱|电表|水表|水管|水箱|燃气表|燃气管|煤气管|天然气管|水泵|供水|下水|排水|污水|井盖|路灯|监控|大门|门岗|围墙|屋顶|顶楼|墙皮|瓷砖|防水|渗漏|绿化|树木|保洁|楼梯|台阶|扶手|窗户|阳台|楼宇|住户|租户|物管|楼(?!市|盘|价|凤)|采光|日照|通风|挡(了|住)?.{0,4}(阳光|光线|太阳)|通行|出路|借道|麻将馆|棋牌室|雨棚|搁置物|悬挂物|坍塌|塌了|砸伤|砸坏|砸到|窨井|地下设施|(树|树枝).{0,3}(倒|断|折)|院子|院里|邻居家|返水|滴水|漏水|相邻|空调外机|反映|候选人|收据|发票|经理|管家|客服|前台|收钱|收费|缴费|小广告|(狗|猫)(叫|吠|屎|粪|尿|咬|不拴|乱跑|扰民)|拉屎|粪便|水压|高层|暖气(?!费)|门卫|过道|走廊|吊顶|天花板|进水|积水|单元门|划(了|伤|花)|打鸣|鸽子|健身器材|儿童乐园|游乐设施|垃圾桶|防盗网|晾衣|噪声|油烟|烧烤|摆摊|占道|家门口|消防|灭火/;

/**
 * A flat let or rented: its rent, deposit and lease. A landlord who signs a proxy for the tenant to
 * vote is the owners' assembly's business, and one who cannot rein in a tenant's nuisance leaves a
 * neighbour's matter. 租金 alone is as often the income of common parts (车位、摊位、广告位): only a
 * flat's rent is a tenancy.
 */
const TENANCY =
  /房东(?![^，。？?]{0,14}(委托|授权|替|代(他|她)?(去|投|签|表决|参加)|投票|表决|开会|手续|书面|签(个)?字))(?![^。？?]{0,16}(管不了|不管|管不住))|(?<![住把])房租(?!出)|(房子?|房屋|租房)[^，。]{0,6}租金|租金[^，。]{0,6}(房东|押金)|退租|租期|出租方|承租|转租|二房东|(?<!装修)押金|租房(合同|中介)/;

/**
 * Topics residents ask in the same groups that these sources do not cover,
 * with who can help. `hard` topics are off-topic even when a weak domain word
 * (小区, 房子) appears; the others only when nothing points at property management.
 */
const OFF_TOPIC: { pattern: RegExp; redirect: string; hard: boolean }[] = [
  {
    pattern:
      /离婚|结婚|婚前|彩礼|(老公|老婆|丈夫|媳妇)[^。]{0,6}把[^。]{0,4}钱|继承|遗嘱|抚养|赡养|(去世|过世|(爹|爸|妈|娘|老爷子|老太太|父亲|母亲|老人)[^，。]{0,3}(走了|不在了))[^。]{0,16}(房|遗产|存款|财产)|(哥|姐|弟|妹|兄弟|姐妹|姊妹)[^。]{0,8}(房本|房产证)|劳动合同|工资|辞退|试用期|裁员|工伤|欠薪|起诉.{0,4}(公司|老板)/,
    redirect:
      "这属于婚姻家庭、继承或劳动方面的法律问题，建议咨询律师，或拨打 12348 公共法律服务热线。",
    hard: true,
  },
  {
    pattern:
      /社保|医保|养老金|退休金|公积金|贷款|网贷|催收|利率|征信|信用卡|契税|个税|增值税|满五唯一|中介费/,
    redirect:
      "这属于社保、税费或贷款方面的事项，可拨打 12345 政务服务热线，或到对应的政务服务窗口咨询。",
    hard: true,
  },
  {
    pattern: /过户|房产证|不动产权证|不动产登记/,
    redirect: "不动产登记、过户手续由不动产登记机构办理，可拨打 12345 政务服务热线咨询。",
    hard: false,
  },
  {
    pattern:
      /交通事故|车祸|肇事|逃逸|打架|斗殴|(被|有人)[^，。]{0,8}(毒死|药死|投毒)|卖淫|嫖娼|家暴|(老公|丈夫|男人|媳妇|老婆)[^。]{0,8}打(我|俺)|高利贷|上当|受骗|着了道|(说是|自称)[^。]{0,16}的[^。]{0,40}(没这(回)?事|是假的)|欠(我|俺|我们|俺们|俺家|我家)[^，。]{0,6}(钱|块|千|万|元)|(借|借了)(我|俺)(家)?的?[^，。]{0,3}(钱|块|千|万|元)|干(了)?活[^。]{0,12}(给钱|没给|不给)|(钱|账)[^，。]{0,6}(一直|到现在|还是|都)?(没给|不给|没还|不还|赖着)|(说不给就不给|卷(着)?钱跑|把钱卷跑|卷跑了)|(前夫|前妻|前男友|前女友)[^。]{0,8}(堵|跟踪|骚扰|打|威胁)|(群|微信|朋友圈)[^。]{0,8}(骂|辱骂|造谣|诽谤|侮辱)|(造谣|诽谤|侮辱)(我|俺)|吸毒|贩毒|戒毒|赌博|扬言|恐吓|(找人|要)(弄|收拾|打)(我|俺|死)|(借|借了)(我|俺)(家|的)?(?![^。]{0,2}(院|道|路|地|墙|场|阳台|过|门))[^。]{0,10}(还回来|不还|没还|弄坏|坏了|转不动)|(被|让).{0,8}(车|电动车|汽车)撞|(车|车子)[^，。]{0,3}撞了|撞车|交警|诈骗|被骗|骗了|安全账户|冒充[^，。]{0,6}客服|借(我|了|给).{0,6}(块|元|钱|万)|欠(我|钱).{0,6}不还|还钱/,
    redirect:
      "这类事情不在物业管理条文的范围内：交通事故、诈骗、打架、投毒等请拨打 110 报警；借贷纠纷可以协商，或咨询律师、拨打 12348 公共法律服务热线。",
    hard: true,
  },
  {
    pattern:
      /网购|网上买|快递员|签收|没收到快递|中通|圆通|申通|韵达|顺丰|极兔|快递(丢|被|放)|手机套餐|流量|运营商|宽带|网速|话费/,
    redirect:
      "快递、网购和通信服务的问题，可以找快递公司、商家或运营商的客服，也可拨打 12315 消费者投诉热线或 12345 热线。",
    hard: true,
  },
  {
    pattern:
      /洗衣机|冰箱|电视机?|油烟机|燃气灶|(?<!(楼顶|屋顶|天台|公共).{0,8})热水器(?!.{0,6}(楼顶|屋顶|公共|烟道))|售后|格力|美的|海尔|锂电|铅酸|(?<!电动车|电瓶车|电车)电池(?!车)|养老院|日间照料|养老/,
    redirect:
      "家里电器的维修和选购、养老服务，不在物业管理条文的范围内，可以找厂家售后或拨打 12345 政务服务热线咨询。",
    hard: true,
  },
  {
    pattern:
      /(小区|围墙)外(面|头|边)?[^，。]{0,10}(工地|马路|道路|快速路|高架|施工|打桩)|快速路|高架|打桩|(门口|大门外|外头|外面|路口)[^，。]{0,4}(修路|挖路|修马路|修地铁)/,
    redirect:
      "小区外面的道路、工地噪声不归物业管，可以拨打 12345 热线，或向生态环境、城管部门反映；夜间施工扰民也可以拨打 110。",
    hard: true,
  },
  {
    pattern: TENANCY,
    redirect: "房屋租赁纠纷不在物业管理条文的范围内，可以和房东协商，或拨打 12345 热线、咨询律师。",
    hard: true,
  },
  {
    pattern: /过期食品|食品安全|假货|快递|外卖/,
    redirect: DEFAULT_REDIRECT,
    hard: false,
  },
  {
    pattern: /燃气费|暖气费|供暖费|水费|电费|电价|水价|宽带|话费|有线电视/,
    redirect:
      "水、电、气、暖、通信的价格和缴费由各专业经营单位负责，可直接拨打对应公司的客服电话，或拨打 12345 热线。",
    hard: false,
  },
];

const GENERAL_OFF_TOPIC =
  /天气|停课|住院|出院|医务科|挂号|体检|卫生服务中心|补了?[^，。]{0,4}的?课|(是不是|会不会|有没有|要)[^，。]{0,3}(暴雨|大雨|大风|降温|寒潮|冰雹|台风|下雨|下雪)|(暴雨|大风|寒潮|降温|高温)[^，。]{0,4}(预警|预报)|(明天|今天|后天|这周|周末|啥时候|会不会|要)(下雨|下雪)|下雨不|下不下雨|气温|多少度|带伞|好吃|(哪家|推荐|好吃|正宗)[^，。]{0,6}(餐馆|饭店)|(餐馆|饭店)[^，。]{0,6}(好吃|推荐|几点|营业)|胡辣汤|烩面|推荐.{0,4}(哪家|几家|牌子)|哪家.{0,6}(好|正宗|便宜|靠谱)|牌子|股票|理财|彩票|上车不|学校|上学|小学|中学|招生|学区|医院|发烧|吃药|看病|^(?![\s\S]*咬)[\s\S]*疫苗|驾照|违章(?![搭建占])|限号|限行|尾号|志愿|闯红灯|扣分|上牌|高铁|火车|机票|航班|菜市场|(去|逛)超市|超市(几点|打折|优惠|促销)|几点开门|(找|推荐|叫|请)(个|一个)?[^，。]{0,4}师傅|旅游|景点|借钱|欠钱不还|公交|地铁|出租车|网约车|打车|手机(坏|卡|屏)|电脑|游戏|歌名|(这首|那首|首)歌|电影|电视剧|(?<!改成|改为|配套)幼儿园|(钢琴|英语|数学|舞蹈|美术|书法|补习)老师|培训班|辅导|补课|家教|兴趣班|月子|母婴|保姆|家政|育儿嫂|好玩|(哪|哪里|哪儿)(有)?(好)?玩的地方|景区|周末去哪|烟草|专卖许可|甲醛|检测机构/;

/**
 * Topics that stay off-topic even next to a property word (物业公司招保安, 物业股,
 * 小区房价): jobs and pay, markets and prices, household registration, medical
 * insurance, shopping and recommendations.
 */
const BEYOND_PROPERTY =
  /(乡下|农村|村里)的?(老家)?的?(房子|老房|自建房|宅子)|(门口|外面|外边)(那条|的)?(大)?(马路|街|路)[^，。]{0,8}(坑|破|烂|裂|修|挖|堵)|欠(我|俺|我们|俺们)[^，。]{0,4}(装修款|工程款|工钱|货款)|(市|区)[一二三四五六七八九]院|(小区|院|我们|俺们|咱)?(马路|大街|街)?对面(那|的|那个|那家|一家)*[^，。]{0,6}(店|馆|厂|工地|摊|酒吧|歌厅|网吧)|小区[东南西北正后侧]?(大)?门?(外面|外边|外头|门外)(那段|那条|的)?[^，。]{0,6}(路|街|人行道|马路)|出了(小区)?(大)?门|(大)?门口(那条|的)?大马路|大马路[^，。]{0,8}(路灯|坑|井盖)|(?<!小区|院)(?<!小区内|小区里)(?!小区|院|楼|门)[\u4e00-\u9fa5]{2}(路|街|大道)上[^，。]{0,6}(大坑|有(个|一个)?坑|塌了|裂了)|市政[^，。]{0,6}(路灯|井盖|道路|马路|管网)|(?![^。]*(物业|消防|通道|楼道))快递柜[^。]{0,12}(收费|收钱|要钱|计费|超时|保管费|多收)|^(?![\s\S]*(物业|维修资金|维修基金|专项|投票|表决|业委会))(?=[^。]*(开发商|房地产公司))[^。]*((不动产权?证|房产证|房本|产权证|不动产证)[^。]{0,12}(办不?下来|没(给)?办|拿不到|还没下来|没下来|推说|拖|违约金|没信|没消息|没动静|迟迟)|(没有|没|不)(给(我们|俺们|咱们|我|俺|业主)?)?(办|办理)(下来)?(不动产权?证|房产证|房本|产权证|不动产证))|(?![^。]*物业)((期房|交房)[^。]{0,30}(延期|逾期|推迟|拖|违约金|还没封顶|没封顶|再等|还在(搭|盖|建)|没(盖|建)好|烂尾|停工|(没有|没|未)交付)|(能|可以|要求)[^，。]{0,6}退房|虚假宣传|实测[^。]{0,8}(面积|报告)|面积[^，。]{0,4}(误差|多了|少了|缩水))|招(聘|工|人|保安|保洁)|应聘|求职|月薪|工资(多少|高不高|咋样)|(一个月|一月)(能)?(给|挣|开)多少|股票|股价|(物业|地产)股|(?<!维修|大修|专项|公共)基金(?!会)|炒股|房价|(涨|跌)还是(涨|跌)|户口|落户|公积金[^，。]{0,6}(提|取|贷)|迁户|新农合|(?<![们他她])推荐(?!的)(个|一个|几个|一家|家)?.{0,6}(公司|师傅|店|牌子|老师|餐厅|饭店|馆子|电影|景点)|个人所得税|个税|(?<!小区|院)(公园|马路上|大街上|公交站|市政)(里|上|边)?的?[^，。]{0,8}(坏|丢|没了|破|脏|吵|堵|塌|缺|断|倒|损)|(?<![替代给帮])(?<!代收[^。]{0,16})(燃气|天然气|自来水|供电|电力|供暖|热力|水务)公司(?![^。]{0,12}代收)[^。]{0,12}(多收|换表|掏钱|收费|费用|账单|抄表|估抄|涨价|水费|电费|燃气费|气费|采暖费|暖气费|取暖费|减免)|估抄|^(?![^。]*物业)[^。]*污水处理费|^(?![^。]*(物业|公摊|公共|楼道))[^。]*(电表|水表|燃气表|气表)[^，。]{0,8}(校验|检定|走得快|走字快|不准)|(国网|国家电网|供电局|电业局|供电所)[^。]{0,16}(电表|电费|停电|来电|检修)|(供电|电力|燃气|自来水|热力|水务)(公司|局)[^。]{0,16}(检修|停电|停水|停气|来电|(?<!自)来水)|(居民|民用)(用水|用电|用气|水价|电价|气价)[^。]{0,8}(几块|多少钱|价格|涨)|(上调|调高|调整|涨)[^。]{0,6}(居民)?(水价|电价|气价)|(水价|电价|气价)[^。]{0,12}(调价|上调|涨价)|(自来水|燃气|天然气)[^，。]{0,6}(调价|涨价|涨了)|(一吨|一方|一度)(水|气|电)?[^，。]{0,4}涨|共享单车|宅基地|农村[^。]{0,6}(盖房|建房)|妯娌|遗产|(房子|家产)[^。]{0,10}(咋分|怎么分|争着要)|工资[^。]{0,8}(找谁|谁给|谁发)|(干|做)了[^，。]{0,6}(保洁|保安|门卫)[^。]{0,20}(工资|补偿)|盗刷|验证码|(钱|卡里的钱|存款)[^。]{0,6}被转走|(没|不)(有)?发[^，。]{0,4}工资|讨要工资|讨薪|房贷|提前还(款|清|贷)|银行卡[^。]{0,12}(刷|盗|被扣|扣了)|契税|宣传单|(超市|商店|小卖部|店里|店家|饭店|餐馆)[^。]{0,24}(不认|不退|不换|不给退|臭的|坏的)|^(?![\s\S]*(物业|指定|开发商))[\s\S]*(便利店|超市|商店|小卖部|店家|店里|门店)[^。]{0,24}(不认|不退|不换|不给退|不给换|过期)|借(我|俺|了|给|走)?[^，。]{0,6}(万|千|块|元|钱)[^。]{0,40}(不还|没还|还钱|拉黑|借条|不接)|借条|欠条|(移动|联通|电信|运营商)[^。]{0,12}(扣|开通|会员|套餐|话费)|(骗子|被骗|诈骗|冒充)[^。]{0,24}(转账|追回|要回|报警)|(转账|转)了?[^。]{0,12}(才发现|是骗子)|(兼职|刷单)[^。]{0,16}(押金|返利|佣金|被骗|踢出|拉黑)|旅行团|旅行社|导游|购物点|车管所|(二手车|旧车|车子?)[^。]{0,10}过户|捡(了|到)[^。]{0,6}(钱包|手机|身份证|银行卡|钥匙)|(有|谁)(看到|看见|见到|捡到)[^。]{0,16}(麻烦|请)?(说一声|告诉|联系|留一下)|帮忙留一下|(飞|溜)(走|出去)了|鹦鹉|公墓|墓地|低保|垃圾处理费|套(了)?(我的)?(车)?牌|(路口|马路|路上|街上)[^。]{0,10}违停|^(?![^。]*(物业|小区))[^。]*(马路|大街|市区)[^，。]{0,6}(收费)?停车位|年终奖|(单位|公司)领导[^。]{0,16}(扣|开除|辞退|别干|不让干)|商家[^。]{0,16}(运输|退货|换货|质量问题|找快递)|快递[^。]{0,6}(说|让)[^。]{0,4}找商家|河道|(工厂|厂房|厂子)[^。]{0,8}(噪音|排放|气味|污染|异味)|(街道办?|派出所)[^。]{0,8}开(个)?证明|网吧|(饭店|饭馆|餐馆|餐厅|菜馆|小吃店|外卖)[^。]{0,20}(吃|拉肚子|上吐下泻|中毒|不承认)|食物中毒|上吐下泻|交通事故|全责|(?<!认)定责|追尾|马路上[^。]{0,10}(剐|撞|刮)|(商场|超市|医院|景区|火车站|机场)[^，。]{0,6}停车(场|费)|(明天|今天|后天|周末|这几天|这礼拜|这周|下周|这星期)[^。，]{0,6}(会不会|能不能|有没有)?(?<!一)下(不下)?(大|小|暴)?(雨|雪)|(啥时候|什么时候|哪天)[^，。]{0,4}下(场|点)?(大|小)?(雨|雪)|天气(预报|怎么样|咋样|如何)|驿站[^。]{0,16}(丢|赔)|歌厅|酒吧|\bktv\b|电视剧|(火车|高铁|飞机|汽车)票|机票|彩票|景点|旅游攻略|签证|护照|(高考|中考|考研)(分数|志愿|报名)|土鸡蛋|团购|代购|靠谱不|卖的.{0,4}(真|假)|招.{0,2}工|小工|零工|打工[^，。]{0,4}(多少钱|工资|挣|赚|招|找|去哪)|(找|想找)(个)?(工作|活干?)|日结|一天给多少钱|(丢了|走丢|找不到|不见了).{0,10}(猫|狗|宠物)|(猫|狗|宠物).{0,10}(丢了|走丢|找不到|不见了)|寻(猫|狗|宠)|(跑丢|走丢|走失)|谁(看见|见到|捡到)了?(一只|一个|个|只)|(卖|买)(自家|自己)?(种|养|做)的|多少钱一斤|一斤多少钱|属(鼠|牛|虎|兔|龙|蛇|马|羊|猴|鸡|狗|猪)|选(哪天|日子)|黄道吉日|吉日|风水|算命|看相|拼团|房产税|(要不要|该不该)(提前)?卖|罚单|交通(罚款|违章|违法)|违章(罚款|处理|扣分|记录)|(交警|罚款|扣分)[^，。]{0,8}(贴条|违停)|(贴条|违停)[^，。]{0,8}(罚款|扣分|交警)|被贴条|供暖价格|阶梯(水|电|气)?价|峰谷电价|谷电|(暖气费|供暖费|采暖费)[^。]{0,12}(多少钱|每平|一平|价格)|学区|划片|划到哪个(小学|中学|学校)|贷款利率|利率(大概|现在|是)?多少|(向|找)银行贷|(大街|马路|大路|路边)上?(的|那个|那盏|那根)?路灯|(暖气|供暖)[^。]{0,8}(啥时候|什么时候|几号|哪天)(开始)?(供|来|热|开|停)|律师费|请(个)?律师[^。]{0,10}(多少钱|花多少|贵不贵)|保险公司|理赔|家财险|(哪家|买)[^。]{0,6}保险|拆迁|征收补偿|医疗事故|(诊所|医院)[^。]{0,12}(开药|打针|吊瓶|输液|看病|误诊|过敏)|假药|(药店|药房)[^。]{0,12}(假|卖的)|过户[^。]{0,12}(税|手续费)|(交|缴)(啥|什么|哪些)税|拖了?[^，。]{0,4}工资|加班费|劳务派遣|派遣公司|(没|不)(给)?(她|他|我|俺|员工|工人|职工)?(交|缴|上)社保|社保[^，。]{0,6}(补缴|补交|断)|(改造|加装电梯)[^。]{0,8}补贴|补贴[^。]{0,10}(多少钱|能补多少|申请条件)|(供暖|暖气)[^，。]{0,6}(多少钱|价格|一平)|^(?![^。]*物业)[^。]*(集中供暖|供暖|暖气|采暖)[^，。]{0,8}(每平|收费标准)|(身份证|户口本|驾照|社保卡|银行卡)[^，。]{0,6}(补办|挂失|丢|掉|补)|房东[^，。]{0,10}(押金|退|卖|涨房租|租金)|((?<!装修)押金|租金|(?<![住把])房租(?!出))[^，。]{0,6}(退|涨|不还)|拖欠[^，。]{0,8}工资|(工资|薪水)[^，。]{0,6}(拖欠|不发|没发|讨)|套餐|宠物店|健身房|年卡|预付卡|酒店|宾馆|订房|(超市|商场|商店|饭店|医院|学校)(门口|里头|里面|旁边)[^，。]{0,10}(偷|丢|摔|撞)|超市[^，。]{0,10}(过期|假货|退|多扣|多收|结账|结完账|收银|小票|警报)|包工头|工地[^，。]{0,10}(工钱|工资|没给|欠)|拼多多|淘宝|京东|网购|商家[^，。]{0,10}(退款|发货|不理)|4[sS]店|(汽车|车子?|爱车)[^，。]{0,4}保养|保养(汽车|车)|夜市[^。]{0,6}(在哪|几点|好吃|好玩|有啥)|(?<!物业[^，。]{0,6})装修公司[^。]{0,16}(定金|订金|不干活|跑路|老板|停工|工期|违约|退款|止损|完工|增项|合同|维权|延期|空鼓|返工|保修|质量)|比亚迪|五菱|特斯拉|买(辆|台)[^，。]{0,4}车|(设计图|效果图|户型图)[^，。]{0,8}(怎么画|画|软件)|(用|选)(啥|什么)软件|办(的|了)?(会员)?卡[^，。]{0,8}(跑路|跑了|关门|不退)|会员卡|充值卡|储值卡|(充|办)了?[^，。]{0,8}卡[^。]{0,12}(跑路|跑了|关门|不退|倒闭)|外卖[^，。]{0,8}(洒|撒|少了|漏|送错|超时|退款|差评)|骑手|平台客服|黑车|拉客|非法营运|红绿灯|信号灯|斑马线|公厕|公共厕所|占道经营|路边摊|(诊所|药店|药房|饭店|餐馆|理发店|美容院|超市|商店|小卖部|健身房|培训班|补习班|幼儿园|学校)[^，。]{0,8}(乱收费|多收|宰人|坑人|涨价)|装修风格|(北欧|新中式|美式|日式|欧式|简约|轻奢|现代)风?[^，。]{0,6}(好看|还是)|好看还是[^，。]{0,8}好看|(什么|啥)(颜色|色)[^，。]{0,4}好看|软装|(地板|瓷砖|涂料|乳胶漆|橱柜)[^，。]{0,6}(哪个牌子|哪种好|选哪|怎么选)|(单位|公司)[^。]{0,6}报销|传销|助老|职称|二手[^。]{0,16}(拉黑|被骗|骗了)|微信零钱|账户[^。]{0,6}(异常|冻结|被限制)|派出所[^。]{0,8}(做了?登记|立案|报案|备案)|介绍(个)?对象|相亲|(?![^。]*物业)(开车|骑车|倒车)[^。]{0,12}(撞倒|撞伤|撞了|刮了|蹭了|撞到)|(孩子|小孩|娃)[^。]{0,10}(推倒|打了|打伤|抓伤)[^。]{0,16}(家长|对方|他家|人家)|(孩子|小孩|娃)[^，。]{0,4}(打|推|咬)(了|伤)?(我|俺)(家)?的?(孩子|小孩|娃|闺女|儿子)|(请的|雇的|找的)(工人|师傅|装修工|小工)[^。]{0,12}(摔|伤|掉下)|一日游|(玉器|珠宝|翡翠|购物)店[^。]{0,12}(不买|强制|不让)|保健品|健康讲座|重疾险|退保|兼职[^。]{0,4}保险|随礼|礼金|份子钱|吊唁|多肉|绿萝|烂根|\b[Ee]xcel\b|\bWPS\b|表格[^，。]{0,6}公式|公式(咋|怎么)写/;

/**
 * Residents' dealings with each other and with shops, repairers, utilities and the street (a
 * second-hand sale in the owners' group, a loan, a courier, a car park nearby): another body's
 * matter unless the estate's management is named with them.
 */
const PRIVATE_DEALINGS =
  /(业主群|群里)[^。]{0,10}(买|卖)(了)?|(买|卖)(给)?(了)?(邻居|对门|楼上|楼下|他|她|俺|我)(家)?[^。]{0,6}(一个|一台|一辆|两瓶|一箱)?(二手)|二手[^，。]{0,6}(电动车|空调|冰箱|冰柜|家具|车|手机)|卖(给俺|给我)?[^，。]{0,4}假(茅台|酒|烟|货)|翻新机|投资群|(钱|本金)[^，。]{0,6}提不出来|(厂家|售后|安装师傅)[^。]{0,10}(不给换|不给修|不来修|不管|不认)|(停电|停水|停气)[^。]{0,16}(供电局|供电公司|电力公司|自来水公司|燃气公司)|(整个|一)片区?[^，。]{0,4}(停电|停水)|路灯[^，。]{0,6}市政|^(?![^。]*(小区|院|楼))[^。]*[\u4e00-\u9fa5]{1,4}(路|街|大道)(上|边)?(的|那个|那几个|那排)?路灯|(老家|农村|村里)[^。]{0,6}(房子|宅基地|地)[^。]{0,6}(被人)?占|开锁|(猫|狗)[^。]{0,6}跑(出去|丢|没)了|滴滴|绕路|老年痴呆|(哪有|哪里有|哪儿有|推荐)[^，。]{0,6}(便宜|免费|好停)[^，。]{0,4}(停车场|停车位|充电站)|(停车场|充电站)[^，。]{0,4}(哪家|哪个)?[^，。]{0,2}便宜|(工厂|厂房|厂子)[^。]{0,12}(响|吵|臭)/;
/** A shop's or a repairer's goods that went wrong: theirs, unless the estate or a nuisance is named. */
const SHOP_GOODS =
  /(?<!物业|管理)(店|铺|摊|摊子|市场|商场|师傅)[^。]{0,24}(不认|不退|不给换|不换|不给退|不给修|不来修|不给赔|过期|翻新|色差|虫子|秤不准|缺斤|少半斤|刮了|度数不对|不制冷|就这样)/;
const MANAGEMENT_NAMED = /物业|开发商|业委会|业主大会/;
const SHOP_EXCUSED = /指定|油烟|占道|噪音|吵/;

/** A topic that stays off-topic even next to a property word. */
function beyondProperty(text: string): boolean {
  if (BEYOND_PROPERTY.test(text)) return true;
  if (MANAGEMENT_NAMED.test(text)) return false;
  return PRIVATE_DEALINGS.test(text) || (SHOP_GOODS.test(text) && !SHOP_EXCUSED.test(text));
}

/** Where residents live, named in passing in any message: they alone do not make it a property matter. */
const ESTATE_WORDS =
  /小区|楼上|楼下|楼里|楼(?!市|盘|价|凤)|邻居家?|房子|单元|院子|院里|家门口|住户|租户/g;
/** The same words, tested for rather than removed. */
const NAMES_ESTATE = new RegExp(ESTATE_WORDS.source);

/**
 * Who a grievance is against, when that is not the estate: a shop, a platform, a bank, a school,
 * an employer, a landlord, a carrier. Told with only a 小区 or a 楼下 in passing, the matter is theirs.
 */
const OTHER_PARTY =
  /商家|卖家|店家|店主|店员|老板|(外卖|购物|电商|网购)平台|平台(客服|只|就|说|不|要|让|赔|给)|中介|银行|取款机|医生|护士|医院|诊所|老师|学校|校长|班主任|教练|驾校|包工头|工头|骑手|快递员|快递公司|搬家公司|保险公司|律师|电信|联通|移动公司|运营商|售后|社保局|税务局|人社局|登记处|民政局|政务大厅|办事大厅|卫生院|加油站/;

/**
 * Premises the sources do not govern: a workplace, a shop or a mall, a bank, a hospital or a school,
 * a village, a cemetery, a toll road. Their 监控, 门禁, 噪音 or 收费 are not the estate's, unless the
 * message also places the matter at home (小区, 楼, 业主, 邻居…) or is about fire safety, which the
 * fire regulation governs everywhere.
 */
const OTHER_PREMISES =
  /员工|同事|车间|厂区|厂里|工厂|(?<!维保|建设|经营|服务|施工|监理|设计|管理)单位(?![^，。]{0,2}(门|楼|宿舍|家属))|(?<!物业|维保|电梯|供电|自来水|燃气|供水|热力|保洁|保安|服务|管理|电力|水务|电信|通信|有线电视)公司|老板|上班|打卡|领导|(?<!新)村(?!委)|低保|公墓|墓地|商场|银行|ATM|医院|学校|高速|ETC|服务台|收费员|写字楼|酒店|宾馆|卫生院|加油站|公园|景区|街上|马路上|菜市场|办公室|KTV|歌厅|酒吧|网吧|(市民|人民|文化|体育)广场/i;
const AT_HOME =
  /小区|(?<!写字|办公)楼|单元|业主|物业|业委会|物管|邻居|(?<!卫生|医|法|学|剧|影|养老|敬老|福利)院|家属|住户|租户|房子|家里|我家|俺家|屋|宿舍|住宅|社区|开发商|对门|隔壁/;
const FIRE_SAFETY = /消防|灭火|火灾|(?<!打不|点不)着火|起火|安全出口|疏散|119|燃气|煤气/;

function elsewhere(text: string): boolean {
  return OTHER_PREMISES.test(text) && !AT_HOME.test(text) && !FIRE_SAFETY.test(text);
}

/** Only where residents live is named (小区, 楼下): nothing else points at property management. */
function onlyEstateWords(text: string): boolean {
  return !DOMAIN.test(text.replace(ESTATE_WORDS, " "));
}

/** Another party's matter with the estate named only in passing. */
function othersMatter(text: string): boolean {
  // Asking to complain (能帮我投诉不) names no estate matter: the grievance is still the other party's.
  const grievance = text.replace(ASKING_TO_COMPLAIN, " ");
  if (PUBLIC_OFFICERS.test(text) && onlyEstateWords(grievance.replace(/城管|公安|12345/g, " ")))
    return true;
  if (OFFICERS_ACTING.test(text) && !NAMES_ESTATE.test(text)) return true;
  if (!onlyEstateWords(grievance)) return false;
  if (OTHER_PARTY.test(text)) return true;
  // A business reported with no estate named at all (举报一家饭店): one downstairs may be the estate's,
  // and a question about a shop in a home (开饭店要谁同意) is the owners' matter.
  return OTHER_BUSINESS.test(text) && grievance !== text && !NAMES_ESTATE.test(text);
}

/**
 * Businesses residents report to the market, health or education regulators through 12345 or 12315.
 */
const OTHER_BUSINESS =
  /饭店|饭馆|餐馆|餐厅|小吃店|烧烤店|网店|店铺|商铺|商店|门店|培训(机构|班|学校)|辅导班|补习班|机构|工厂|作坊|黑车|黑诊所|黑网吧/;

/** The city's own officers: a complaint about them goes to 12345 or their authority, not the estate. */
const PUBLIC_OFFICERS =
  /(投诉|举报|反映|曝光)(一下)?(个|一个)?(城管|交警|警察|民警|辅警|协警|执法人员|公务员|派出所|政府|12345)/;
/** What the officers themselves did (城管把三轮车收走了, 协警收钱): their conduct, not the estate's. */
const OFFICERS_ACTING =
  /(城管|交警|辅警|协警|民警)(把|给|收|没收|罚|打|推|砸|撵|赶|不作为|乱|态度)/;

const ASKING_TO_COMPLAIN = /投诉|举报|反映|曝光/g;

/**
 * People, acts and things a report can name that the estate has no say over: a family member, a
 * streamer, a driver, an official's graft, tax evasion, a pyramid scheme, pollution, prices.
 */
const REPORT_TARGETS_ELSEWHERE =
  /机器人|前夫|前妻|老公|老婆|丈夫|媳妇|男朋友|女朋友|婆婆|公公|亲戚|同学|主播|网红|博主|直播|司机|小哥|村干部|干部|贪污|腐败|受贿|行贿|偷税|漏税|逃税|黄赌毒|色情|集资|传销|虐待动物|污染|排污|物价|违停|工地|商贩|小贩|假货|诈骗|骗子|网站|游戏|视频/;

/**
 * Asking to report someone or something when the complaint word is the only estate word
 * (我要举报我前夫, 我要投诉快递): the report belongs to another body. Its redirect, if so.
 */
function reportAboutOthers(text: string): string | undefined {
  const grievance = text.replace(ASKING_TO_COMPLAIN, " ");
  if (grievance === text || NAMES_ESTATE.test(text) || DOMAIN.test(grievance)) return undefined;
  if (REPORT_TARGETS_ELSEWHERE.test(grievance)) return DEFAULT_REDIRECT;
  return OFF_TOPIC.find((t) => t.pattern.test(grievance))?.redirect;
}

/** How sure the scope model must be before a message with only everyday estate words is turned away. */
const OFF_TOPIC_CERTAINTY = 0.98;

export type ScopeVerdict = { inScope: true } | { inScope: false; redirect: string };

const WRITING_REDIRECT =
  "我不代写文章或文案，只根据收录的法规条文回答物业管理方面的问题。您可以直接问具体的规定，比如物业收费、业委会选举、维修资金怎么用。";

/** Asked in English about money markets, travel, weather or entertainment: never an estate matter. */
export const ENGLISH_BEYOND =
  /\b(exchange rates?|currency|currencies|usd|rmb|stocks?|share prices?|bitcoin|weather|forecast|flights?|train tickets?|recipes?|movies?|football|lottery|visas?|passports?|horoscope|warranty|mortgages?|residence permits?|work permits?|shared e-?bikes?|bike-sharing|bus stops?|buses|traffic lights?|title deeds?|(property )?ownership certificates?|refunds?|broadband|internet|telecom|parcels?|packages?|courier)\b/i;

/** Writing for someone is not answering from the sources, whatever the topic. */
const WRITING =
  /(帮我|给我|替我)?写.{0,10}(文章|作文|稿子|诗|小说|总结|演讲|朋友圈|文案|请假条|检讨|情书|简历|论文|对联|祝福语|贺词|自我介绍)|翻译/;

export function judgeScope(simplifiedText: string): ScopeVerdict {
  // Told in English: the reviewed glossary knows the property terms and the topics beyond them.
  if (mostlyEnglish(simplifiedText)) {
    if (ENGLISH_BEYOND.test(simplifiedText)) return { inScope: false, redirect: DEFAULT_REDIRECT };
    if (englishSearchTerms(simplifiedText) !== "") return { inScope: true };
  }
  if (WRITING.test(simplifiedText)) return { inScope: false, redirect: WRITING_REDIRECT };
  if (beyondProperty(simplifiedText)) return { inScope: false, redirect: DEFAULT_REDIRECT };
  const theirs = otherBodysRedirect(simplifiedText);
  if (theirs) return { inScope: false, redirect: theirs };
  if (STRONG_DOMAIN.test(simplifiedText)) return { inScope: true };
  if (elsewhere(simplifiedText)) return { inScope: false, redirect: DEFAULT_REDIRECT };
  const hard = OFF_TOPIC.find((t) => t.hard && t.pattern.test(simplifiedText));
  if (hard) return { inScope: false, redirect: hard.redirect };
  if (GENERAL_OFF_TOPIC.test(simplifiedText)) return { inScope: false, redirect: DEFAULT_REDIRECT };
  if (DOMAIN.test(simplifiedText)) {
    // Only a 小区 or a 邻居 mentioned in passing: the scope model weighs the whole message.
    if (othersMatter(simplifiedText)) return { inScope: false, redirect: DEFAULT_REDIRECT };
    const reportedElsewhere = reportAboutOthers(simplifiedText);
    if (reportedElsewhere) return { inScope: false, redirect: reportedElsewhere };
    const out = onlyEstateWords(simplifiedText) ? offTopicProbability(simplifiedText) : undefined;
    if (out !== undefined && out >= OFF_TOPIC_CERTAINTY)
      return { inScope: false, redirect: DEFAULT_REDIRECT };
    return { inScope: true };
  }
  const soft = OFF_TOPIC.find((t) => t.pattern.test(simplifiedText));
  return { inScope: false, redirect: soft?.redirect ?? DEFAULT_REDIRECT };
}

/**
 * A topic the sources clearly do not cover (a landlord, a salary, the
 * weather), as opposed to a message that merely names no property word:
 * trouble of this kind is redirected, never filed as a complaint.
 */
export function clearlyOffTopic(simplifiedText: string): boolean {
  if (WRITING.test(simplifiedText) || beyondProperty(simplifiedText)) return true;
  if (otherBodysRedirect(simplifiedText) !== undefined) return true;
  if (
    mostlyEnglish(simplifiedText) &&
    (ENGLISH_BEYOND.test(simplifiedText) || englishOffTopic(simplifiedText))
  )
    return true;
  if (STRONG_DOMAIN.test(simplifiedText)) return false;
  return (
    OFF_TOPIC.some((t) => t.hard && t.pattern.test(simplifiedText)) ||
    GENERAL_OFF_TOPIC.test(simplifiedText) ||
    elsewhere(simplifiedText) ||
    othersMatter(simplifiedText) ||
    reportAboutOthers(simplifiedText) !== undefined
  );
}

/**
 * Words of the estate's own fabric or management (物业, 漏水, 垃圾桶), beyond where residents live
 * and the words for complaining: told with them, trouble is the estate's even when a word of another
 * trade (洗衣机, 招人) comes along.
 */
export function namesEstateMatter(simplifiedText: string): boolean {
  return (
    STRONG_DOMAIN.test(simplifiedText) ||
    !onlyEstateWords(simplifiedText.replace(ASKING_TO_COMPLAIN, " "))
  );
}

/**
 * A matter another body handles whoever tells it: a home's sale, the city's streets, the estate's
 * people in another capacity, a tenancy, a job, a scam. Told with the district and the estate's
 * name, it is still not a complaint about the estate.
 */
export function anotherBodysMatter(simplifiedText: string): boolean {
  return (
    otherBodysRedirect(simplifiedText) !== undefined ||
    TENANCY.test(simplifiedText) ||
    staffLabour(simplifiedText)
  );
}
