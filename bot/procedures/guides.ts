/**
 * Step-by-step guides for owners' committee procedures, as typed data.
 *
 * Every step is one plain sentence backed by the article(s) it cites (citation keys per
 * CONTRACTS.md §2). Deadlines and ratios are quoted as the cited text writes them. Where the
 * 河南省物业管理条例 (2017) or the 国务院物业管理条例 (2018) set vote thresholds that differ from
 * 民法典第二百七十八条, the guide says that the 民法典 prevails (national law, higher in rank and
 * later in time) and cites both.
 */
import { z } from "zod";

const MARKDOWN = /\*\*|#|\||`|^\s*[-*>]\s/m;

const CitationKeySchema = z
  .string()
  .regex(/^[a-z0-9-]+:\d+(?:\.\d+)*$/, "citation key must look like <doc-id>:<unit>");

export const GuideStepSchema = z.object({
  text: z
    .string()
    .min(1)
    .refine((t) => !t.includes("\n"), "a step is one line")
    .refine((t) => !MARKDOWN.test(t), "plain text only, no Markdown"),
  cites: z.array(CitationKeySchema).min(1),
});

export const GuideSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z
    .string()
    .min(1)
    .refine((t) => !MARKDOWN.test(t) && !t.includes("\n"), "plain one-line title"),
  /** Residents' phrasings that open this guide; "a+b" means a, then b within a few characters. */
  triggers: z.array(z.string().min(2)).min(1),
  steps: z.array(GuideStepSchema).min(1),
});

export type GuideStep = z.infer<typeof GuideStepSchema>;
export type Guide = z.infer<typeof GuideSchema>;

const PREVAILS = "民法典是全国人大制定的法律，位阶高于地方性法规和行政法规，施行也在后";

const RAW_GUIDES: Guide[] = [
  {
    id: "first-owners-assembly",
    title: "成立业主大会（召开首次业主大会会议）的步骤",
    triggers: [
      "成立业主大会",
      "成立业委会",
      "组建业委会",
      "筹建业委会",
      "怎么成立业委会",
      "没有业委会",
      "还没成立业委会",
      "第一次开业主大会",
      "第一次业主大会",
      "首次业主大会",
      "业主大会+成立",
      "筹备组",
      "业主代表大会",
    ],
    steps: [
      {
        text: "符合下列条件之一的，应当召开首次业主大会会议：房屋出售并交付使用的建筑面积达到百分之五十以上；业主已入住户数的比例达到百分之三十以上；前期物业服务合同期限内依法解除合同或者前期物业服务合同到期前九十天。",
        cites: ["henan-pmr-2017:18"],
      },
      {
        text: "物业管理区域达到成立业主大会条件两个月内，建设单位应当向街道办事处、乡镇人民政府报送物业管理区域证明、业主名册、房屋及建筑物面积清册等资料。",
        cites: ["henan-pmr-2017:19"],
      },
      {
        text: "建设单位或者十人以上业主联名，可以向街道办事处、乡镇人民政府申请成立首次业主大会筹备组。",
        cites: ["henan-pmr-2017:20"],
      },
      {
        text: "街道办事处、乡镇人民政府应当在收到申请后三十日内组织成立筹备组，并自筹备组成立之日起六十日内组织召开首次业主大会会议。",
        cites: ["henan-pmr-2017:20"],
      },
      {
        text: "筹备组由街道办事处、乡镇人民政府和业主、社区居（村）民委员会、建设单位的代表组成，业主代表人数比例不低于二分之一，组长由街道办事处或者乡镇人民政府的代表担任。",
        cites: ["henan-pmr-2017:20"],
      },
      {
        text: "筹备组负责确认并公示业主身份、业主人数以及所拥有的专有部分面积，确定会议时间、地点、形式和内容，拟定管理规约、业主大会议事规则和表决规则，确定业主委员会候选人名单。",
        cites: ["henan-pmr-2017:21"],
      },
      {
        text: "这些内容应当在首次业主大会会议召开十五日前以书面形式在物业管理区域内显著位置公告，公告时间不少于七日。",
        cites: ["henan-pmr-2017:21"],
      },
      {
        text: "筹备经费：新建小区由建设单位承担，单位小区由所在单位承担，老旧小区、公租房小区由县级人民政府承担。",
        cites: ["henan-pmr-2017:20"],
      },
      {
        text: "建设单位未及时报送资料或者不提供筹备费用的，由物业管理行政主管部门责令限期改正，逾期不改正的处五万元以上十五万元以下罚款。",
        cites: ["henan-pmr-2017:80"],
      },
      {
        text: "业主户数超过三百户的，可以成立业主代表大会，履行与业主大会相同的职责。",
        cites: ["henan-pmr-2017:18"],
      },
      {
        text: "首次会议表决时，要有专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，街道办事处、乡镇人民政府应当派员列席。",
        cites: ["civil-code-2020:278", "henan-pmr-2017:24"],
      },
      {
        text: "地方人民政府有关部门、居民委员会应当对设立业主大会和选举业主委员会给予指导和协助；平顶山市2024年的实施方案也要求推动物业管理区域100%成立业主委员会（物业管理委员会）。",
        cites: ["civil-code-2020:277", "pds-plan-2024:2.1"],
      },
      {
        text: "街道办事处、乡镇人民政府工作人员未按规定筹备、组织召开业主大会会议的，依法给予行政处分，业主可以向物业管理行政主管部门或者街道办事处、乡镇人民政府投诉举报。",
        cites: ["henan-pmr-2017:90", "henan-pmr-2017:75"],
      },
    ],
  },
  {
    id: "elect-owners-committee",
    title: "选举业主委员会的步骤",
    triggers: [
      "选举业委会",
      "业委会选举",
      "选业委会",
      "业委会候选人",
      "竞选业委会",
      "当业委会委员",
      "进业委会",
      "业委会委员条件",
      "业委会成员条件",
      "业委会主任+选",
      "业委会+备案",
      "业委会+刻章",
      "业委会+印章",
      "业委会任期",
      "业委会补贴",
    ],
    steps: [
      {
        text: "业主委员会由业主大会会议依法选举产生，对业主大会负责，受其监督。",
        cites: ["henan-pmr-2017:27"],
      },
      {
        text: "首次选举时，由筹备组拟定候选人产生办法、确定候选人名单、拟定选举办法，并在会议召开十五日前公告。",
        cites: ["henan-pmr-2017:21"],
      },
      {
        text: "候选人应当遵守法律法规和管理规约、按时交纳物业服务费等相关费用，具有完全民事行为能力，热心公益、公道正派、廉洁自律，并具有一定的组织能力和履职时间。",
        cites: ["henan-pmr-2017:27", "state-pmr-2018:16"],
      },
      {
        text: "街道办事处、乡镇人民政府应当对候选人任职条件、提名进行审查；符合条件的社区居民委员会成员可以兼任业主委员会成员。",
        cites: ["henan-pmr-2017:28"],
      },
      {
        text: "选举业主委员会由业主共同决定：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "业主委员会由主任、副主任及委员组成，每届任期不超过五年，可以连选连任，具体人数、任期由业主大会议事规则确定；主任、副主任在业主委员会成员中推选产生。",
        cites: ["henan-pmr-2017:28", "state-pmr-2018:16"],
      },
      {
        text: "业主委员会应当自选举产生之日起三十日内，向街道办事处、乡镇人民政府备案，备案情况抄送县（市、区）物业管理行政主管部门。",
        cites: ["henan-pmr-2017:29", "state-pmr-2018:16"],
      },
      {
        text: "业主委员会持备案证明向公安机关申请刻制业主大会印章和业主委员会印章。",
        cites: ["henan-pmr-2017:29"],
      },
      {
        text: "业主委员会会议应当有过半数组成人员出席，决定须经全体组成人员半数以上同意，并自作出决定之日起三日内在物业管理区域内显著位置公告。",
        cites: ["henan-pmr-2017:28"],
      },
      {
        text: "对业主委员会成员应当根据工作情况给予适当补贴，补贴的来源和支付标准由业主大会决定。",
        cites: ["henan-pmr-2017:27", "henan-pmr-2017:22"],
      },
      {
        text: "业主大会可以设立业主监事会或者独立监事，监督业主委员会的工作。",
        cites: ["henan-pmr-2017:34"],
      },
    ],
  },
  {
    id: "committee-renewal-recall",
    title: "业委会换届、罢免成员和更换业委会的步骤",
    triggers: [
      "换届",
      "换届选举",
      "业委会到期",
      "业委会任期到了",
      "罢免",
      "罢免业委会",
      "撤换业委会",
      "更换业委会",
      "换掉业委会",
      "重新选业委会",
      "业委会不作为",
      "业委会辞职",
      "不交公章",
      "公章+不交",
      "交出公章",
      "印章+移交",
      "解散业委会",
    ],
    steps: [
      {
        text: "业主委员会任期届满前，应当组织召开业主大会会议进行换届选举，并书面报告街道办事处、乡镇人民政府。",
        cites: ["henan-pmr-2017:33"],
      },
      {
        text: "逾期未换届选举的，由街道办事处、乡镇人民政府组织召开业主大会会议进行换届选举。",
        cites: ["henan-pmr-2017:33"],
      },
      {
        text: "原业主委员会应当自换届之日起十日内，将保管的档案资料、印章及其他属于全体业主所有的财物移交给新一届业主委员会；拒不移交的，街道办事处、乡镇人民政府应当督促移交，必要时公安机关依法协助。",
        cites: ["henan-pmr-2017:33"],
      },
      {
        text: "成员不履行职责和业主义务、利用职务谋取私利或者利用职务侵害他人合法权益的，可以提议罢免。",
        cites: ["henan-pmr-2017:31"],
      },
      {
        text: "罢免须经业主委员会三分之一以上组成人员或者百分之二十以上的业主提议，由业主大会决定。",
        cites: ["henan-pmr-2017:31"],
      },
      {
        text: "经百分之二十以上业主提议，业主委员会应当召开临时业主大会；业主委员会不按规定召开的，由街道办事处、乡镇人民政府责令限期召开，逾期仍不召开的由其负责召集。",
        cites: ["henan-pmr-2017:24", "henan-pmr-2017:25"],
      },
      {
        text: "罢免或者更换业主委员会成员由业主大会决定，按业主共同决定事项表决：专有部分面积占比和人数占比均达三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。",
        cites: ["henan-pmr-2017:22", "civil-code-2020:278"],
      },
      {
        text: "成员不再具备业主身份、丧失履行职责能力、书面提出辞职或者任职期间被追究刑事责任的，职务自行终止。",
        cites: ["henan-pmr-2017:32"],
      },
      {
        text: "成员职务在任期内终止的，应当自终止之日起三日内将其保管的档案资料、印章和财物移交给业主委员会。",
        cites: ["henan-pmr-2017:33"],
      },
      {
        text: "业主委员会的决定违反法律、法规的，区、县房地产行政主管部门或者街道办事处、乡镇人民政府应当责令限期改正或者撤销其决定。",
        cites: ["state-pmr-2018:19"],
      },
      {
        text: "业主委员会的决定侵害业主合法权益的，受侵害的业主可以在知道或者应当知道决定作出之日起一年内请求人民法院撤销。",
        cites: ["civil-code-2020:280", "spc-building-2020:12"],
      },
      {
        text: "业主委员会的决定违法给业主造成损害的，由签字同意该决定的成员承担民事责任。",
        cites: ["henan-pmr-2017:77"],
      },
    ],
  },
  {
    id: "hire-dismiss-property-company",
    title: "选聘、解聘物业公司和物业撤出交接的步骤",
    triggers: [
      "换物业",
      "炒物业",
      "解聘物业",
      "选聘物业",
      "更换物业",
      "换掉物业",
      "物业+换掉",
      "物业+炒",
      "炒+物业",
      "赶走物业",
      "物业+不走",
      "物业+撤出",
      "物业+撤场",
      "物业+交接",
      "物业+移交",
      "新物业",
      "续聘物业",
      "招标+物业",
      "物业合同到期",
      "前期物业",
      "不续签",
    ],
    steps: [
      {
        text: "选聘和解聘物业服务企业由业主共同决定：专有部分面积占比和人数占比均达三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。",
        cites: ["civil-code-2020:278", "henan-pmr-2017:22"],
      },
      {
        text: "对建设单位聘请的前期物业，业主有权依法更换；业主委员会与新物业服务人订立的物业服务合同生效的，前期物业服务合同终止。",
        cites: ["civil-code-2020:284", "civil-code-2020:940"],
      },
      {
        text: "业主委员会应当在物业服务合同期限届满三个月前组织召开业主大会，决定续聘或者选聘物业服务企业，倡导采用招投标方式。",
        cites: ["henan-pmr-2017:51"],
      },
      {
        text: "业主大会选聘的物业服务企业，由业主委员会与其签订书面物业服务合同；物业服务企业应当自合同签订之日起十五日内报物业管理行政主管部门和街道办事处、乡镇人民政府备案。",
        cites: ["henan-pmr-2017:49"],
      },
      {
        text: "业主依照法定程序共同决定解聘的，可以解除物业服务合同，应当提前六十日书面通知物业服务人，但合同对通知期限另有约定的除外。",
        cites: ["civil-code-2020:946"],
      },
      {
        text: "解除合同造成物业服务人损失的，除不可归责于业主的事由外，业主应当赔偿损失。",
        cites: ["civil-code-2020:946"],
      },
      {
        text: "物业不同意续聘的，应当在合同期限届满前九十日书面通知业主或者业主委员会，河南条例还要求同时报告街道办事处、乡镇人民政府。",
        cites: ["civil-code-2020:947", "henan-pmr-2017:51"],
      },
      {
        text: `合同期满未作决定、物业继续服务的，原合同继续有效但服务期限为不定期，任何一方可以随时解除，应当提前六十日书面通知对方；河南条例写的是提前三个月书面告知并报街道办事处、乡镇人民政府，通知期限不一致的以民法典为准（${PREVAILS}）。`,
        cites: ["civil-code-2020:948", "henan-pmr-2017:51"],
      },
      {
        text: "被解聘的物业服务企业应当按照规定办理移交手续，在约定的时间撤出，撤出前应当维持正常的物业管理秩序。",
        cites: ["henan-pmr-2017:52"],
      },
      {
        text: "原物业服务企业应当移交物业管理用房等共用部分和共用设施设备、物业承接查验资料、设施设备的技术资料和运行维护保养记录，并结清预收、代收和预付、代付费用。",
        cites: ["henan-pmr-2017:52", "henan-pmr-2017:46", "civil-code-2020:949"],
      },
      {
        text: "在新物业服务人或者决定自行管理的业主接管之前，原物业服务人应当继续处理物业服务事项，并可以请求业主支付该期间的物业费。",
        cites: ["civil-code-2020:950"],
      },
      {
        text: "原物业服务人不按期退出、不交还用房和资料的，不得请求业主支付合同终止后的物业费，造成业主损失的应当赔偿。",
        cites: ["civil-code-2020:949"],
      },
      {
        text: "合同终止后，业主可以请求退还已经预收、但尚未提供物业服务期间的物业费。",
        cites: ["spc-service-2020:3"],
      },
      {
        text: "未按规定办理移交手续的，由物业管理行政主管部门责令限期改正，逾期不改正的处二十万元罚款；未在规定时间内退出的，自规定时间届满次日起每日罚款一万元。",
        cites: ["henan-pmr-2017:83"],
      },
      {
        text: "平顶山市2024年的实施方案把“经合法程序解除物业服务合同后拒不撤离和移交相关场地、资料”列为重点整治问题，可以向物业管理行政主管部门或者街道办事处、乡镇人民政府投诉举报。",
        cites: ["pds-plan-2024:2.6", "henan-pmr-2017:75"],
      },
    ],
  },
  {
    id: "maintenance-fund",
    title: "使用专项维修资金（维修基金）的步骤",
    triggers: [
      "动用维修资金",
      "维修资金怎么用",
      "用维修资金",
      "使用维修资金",
      "申请维修资金",
      "提取维修资金",
      "维修资金",
      "大修资金",
      "公共维修资金",
      "应急维修",
      "紧急维修",
      "续筹",
      "维修资金+不够",
    ],
    steps: [
      {
        text: "专项维修资金属于业主共有，专项用于物业共用部位、共用设施设备保修期满后的维修、更新和改造，不得挪作他用。",
        cites: ["henan-pmr-2017:65", "civil-code-2020:281"],
      },
      {
        text: "经业主共同决定，维修资金可以用于电梯、屋顶、外墙、无障碍设施等共有部分的维修、更新和改造。",
        cites: ["civil-code-2020:281"],
      },
      {
        text: "使用维修资金（民法典第二百七十八条第一款第五项）要有专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "筹集维修资金（第六项）要求更高：须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "维修资金余额不足首期筹集金额百分之三十的，业主应当按照相关规定以及业主大会的决定续筹。",
        cites: ["henan-pmr-2017:68"],
      },
      {
        text: `河南条例规定筹集和使用维修资金要经专有部分占建筑物总面积三分之二以上且占总人数三分之二以上的业主同意，这与民法典第二百七十八条不同，应以民法典为准（${PREVAILS}）。`,
        cites: ["henan-pmr-2017:22", "civil-code-2020:278"],
      },
      {
        text: "河南条例允许按单元（栋）为单位表决，也允许异议表决（持不同意见的业主面积和人数都在三分之一以下视为通过）；其中的比例与民法典第二百七十八条不一致的，以民法典为准。",
        cites: ["henan-pmr-2017:66", "civil-code-2020:278"],
      },
      {
        text: "业主大会成立前，维修资金由物业管理行政主管部门代行管理；成立后由业主大会决定自行管理或者代行管理。",
        cites: ["henan-pmr-2017:67"],
      },
      {
        text: "紧急情况下需要维修的，业主大会或者业主委员会可以依法申请使用维修资金。",
        cites: ["civil-code-2020:281"],
      },
      {
        text: "电梯、消防等共用设施设备故障无法正常使用，屋面、外墙渗漏，外墙墙面有脱落危险，排水设施功能障碍，公共护栏破损严重等紧急情况，物业服务企业应当立即组织应急维修。",
        cites: ["henan-pmr-2017:70"],
      },
      {
        text: "出现这些紧急情况，物业管理行政主管部门接到申请后应当即时核准并拨付专项维修资金，应急维修费用应当向业主公示。",
        cites: ["henan-pmr-2017:70"],
      },
      {
        text: "维修资金的筹集、使用情况应当定期公布，业主请求公布、查阅的，人民法院应予支持。",
        cites: ["civil-code-2020:281", "spc-building-2020:13"],
      },
      {
        text: "利用共用部位、共用设施设备经营的收益归全体业主所有，主要用于补充专项维修资金。",
        cites: ["henan-pmr-2017:63"],
      },
      {
        text: "挪用专项维修资金的，由房地产行政主管部门追回、给予警告、没收违法所得，可以并处挪用数额2倍以下的罚款。",
        cites: ["state-pmr-2018:60"],
      },
    ],
  },
  {
    id: "assembly-vote-counting",
    title: "业主大会投票怎么算",
    triggers: [
      "投票怎么算",
      "表决怎么算",
      "票数怎么算",
      "怎么计票",
      "计票",
      "投票+通过",
      "表决+通过",
      "多少人同意",
      "多少业主同意",
      "多少户同意",
      "三分之二",
      "四分之三",
      "过半数",
      "双过半",
      "双三分之二",
      "业主大会+投票",
      "业主大会+表决",
      "投票+有效",
      "委托+投票",
    ],
    steps: [
      {
        text: "下列事项由业主共同决定：业主大会议事规则、管理规约、选举或者更换业委会成员、选聘和解聘物业、使用和筹集维修资金、改建重建、改变共有部分用途或者利用共有部分经营，以及其他重大事项。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "第一步看参与：要有专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决，两个条件都要满足。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "筹集维修资金、改建重建建筑物及其附属设施、改变共有部分用途或者利用共有部分从事经营活动，须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "其他事项（包括使用维修资金、选聘解聘物业、选举业委会）须经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "“以上”包括本数（民法典第一千二百五十九条），恰好三分之二、恰好四分之三都算达到；“过半数”必须超过一半，恰好一半不算。",
        cites: ["civil-code-2020:278"],
      },
      {
        text: "专有部分面积按不动产登记簿记载的面积计算，未登记的按测绘机构的实测面积，未实测的按房屋买卖合同记载的面积。",
        cites: ["spc-building-2020:8", "henan-pmr-2017:92"],
      },
      {
        text: "业主人数按专有部分的数量计算，一个专有部分按一人计算；建设单位尚未出售和已售未交付的部分，以及同一买受人拥有一个以上专有部分的，都按一人计算。",
        cites: ["spc-building-2020:9", "henan-pmr-2017:93"],
      },
      {
        text: `河南条例规定会议须有面积和人数均过半数的业主参加才有效，改建重建、筹集和使用维修资金须经总面积和总人数三分之二以上的业主同意，国务院物业管理条例也有类似规定；这些比例与民法典第二百七十八条不同，以民法典为准（${PREVAILS}）。`,
        cites: [
          "henan-pmr-2017:26",
          "henan-pmr-2017:22",
          "state-pmr-2018:12",
          "civil-code-2020:278",
        ],
      },
      {
        text: "召开业主大会会议，应当于会议召开15日以前通知全体业主。",
        cites: ["state-pmr-2018:14"],
      },
      {
        text: "业主可以委托代理人参加业主大会会议；委托物业使用人行使业主权利的，委托应当以书面形式提交。",
        cites: ["state-pmr-2018:12", "henan-pmr-2017:15"],
      },
      {
        text: "在满足实名投票的条件下，提倡采用信息化技术手段进行表决。",
        cites: ["henan-pmr-2017:26"],
      },
      {
        text: "业主大会的决定对业主具有法律约束力；决定侵害业主合法权益的，受侵害的业主可以在知道或者应当知道决定作出之日起一年内请求人民法院撤销。",
        cites: ["civil-code-2020:280", "spc-building-2020:12"],
      },
    ],
  },
];

function validateGuides(raw: unknown): Guide[] {
  const guides = z.array(GuideSchema).parse(raw);
  const ids = new Set<string>();
  for (const g of guides) {
    if (ids.has(g.id)) throw new Error(`duplicate guide id: ${g.id}`);
    ids.add(g.id);
  }
  return guides;
}

/** All guides, validated against GuideSchema when the module loads. */
export const GUIDES: readonly Guide[] = Object.freeze(validateGuides(RAW_GUIDES));

// ---------------------------------------------------------------------------
// Matching residents' messages

const SYNONYMS: [RegExp, string][] = [
  [/业主委员会/g, "业委会"],
  [/维修基金|维修金|大修基金/g, "维修资金"],
  [/专项维修资金/g, "维修资金"],
  [/物业服务企业|物业服务公司|物业管理公司|物业公司|物业服务人/g, "物业"],
  [/业主大会会议/g, "业主大会"],
  [/首次|头一次|第1次|第一回/g, "第一次"],
  [/2\/3/g, "三分之二"],
  [/3\/4/g, "四分之三"],
];

/** NFKC, lower case, synonyms unified, white space and punctuation removed. */
export function normalizeText(text: string): string {
  let s = text.normalize("NFKC").toLowerCase();
  for (const [re, to] of SYNONYMS) s = s.replace(re, to);
  return s.replace(/[\s\p{P}\p{S}]/gu, "");
}

interface CompiledTrigger {
  re: RegExp;
  weight: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTrigger(trigger: string): CompiledTrigger {
  const parts = trigger
    .split("+")
    .map((p) => normalizeText(p))
    .filter((p) => p.length > 0);
  return {
    re: new RegExp(parts.map(escapeRegExp).join(".{0,8}")),
    weight: parts.reduce((n, p) => n + p.length, 0),
  };
}

const COMPILED = GUIDES.map((guide) => ({ guide, triggers: guide.triggers.map(compileTrigger) }));

/**
 * The guide whose triggers best match the text: the longest matching trigger wins, ties go to
 * the guide with more matching triggers, then to the earlier guide.
 */
export function findGuide(text: string): Guide | undefined {
  const s = normalizeText(text);
  if (s.length === 0) return undefined;
  let best: { guide: Guide; longest: number; count: number } | undefined;
  for (const { guide, triggers } of COMPILED) {
    let longest = 0;
    let count = 0;
    for (const t of triggers) {
      if (t.re.test(s)) {
        count++;
        longest = Math.max(longest, t.weight);
      }
    }
    if (count === 0) continue;
    if (
      best === undefined ||
      longest > best.longest ||
      (longest === best.longest && count > best.count)
    ) {
      best = { guide, longest, count };
    }
  }
  return best?.guide;
}

export function getGuide(id: string): Guide | undefined {
  return GUIDES.find((g) => g.id === id);
}

/**
 * Plain text for WeChat: the title, then "1. …【依据：…】" lines. citeLabel turns a citation key
 * into a readable label (document titles live in the knowledge index).
 */
export function formatGuide(guide: Guide, citeLabel: (key: string) => string): string {
  const lines = [guide.title];
  guide.steps.forEach((step, i) => {
    const labels = [...new Set(step.cites)].map(citeLabel).join("；");
    lines.push(`${i + 1}. ${step.text}【依据：${labels}】`);
  });
  return lines.join("\n");
}
