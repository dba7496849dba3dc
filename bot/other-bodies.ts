/**
 * Matters another body handles, told with the estate in them: buying the flat (the developer as a
 * seller), the city's streets, rivers and buses around the estate, and the estate's own people in
 * another capacity. Each comes with who can help instead.
 */
import { DEFAULT_REDIRECT } from "./scope-redirects.ts";

/**
 * Buying a home and having it taken down: the sales contract, its deposit and area, the title and
 * the resettlement after demolition. The developer is named here as a seller, not as the estate's
 * builder, so no property article applies unless the message also turns to the estate's management.
 */
const HOME_SALE =
  /网签|购房合同|认购书|(?<!装修)(定金|订金)|返租|回迁|安置房|过渡费|(?<!车)棚改|征收|套内|合同面积|土地出让金|面积[^，。]{0,6}(少了|缩水|不够|误差|不符)|(不动产|房产|产权)证?[^。]{0,10}(名字|写错|错了)|售楼部|售楼处|置业顾问|(开发商|房地产公司)[^。]{0,20}(证|房本)[^。]{0,8}(没影|没下来|办不|拖)/;
const ESTATE_MANAGEMENT =
  /物业|业委会|业主大会|物管会|投票|表决|维修(资金|基金)|公共|共有|车位|车库|保修|垃圾|装修押金|前期|配套|改成|改为|挪作/;
const HOME_SALE_REDIRECT =
  "买房合同、定金、面积、办证和拆迁安置不归物业管理条文管：可以向区县住房和城乡建设部门或不动产登记机构反映，拨打 12345 政务服务热线；合同纠纷可以咨询律师或拨打 12348 公共法律服务热线。";

function homeSale(text: string): boolean {
  return HOME_SALE.test(text) && !ESTATE_MANAGEMENT.test(text);
}

/**
 * The city around the estate: its parks, rivers, main roads, buses, street trees, sanitation trucks
 * and villages. A problem placed there belongs to the city's departments, even when the resident
 * says it is next to the estate or that it reaches their flat, unless the message turns to the
 * estate's own management or to a danger.
 */
const CITY_AROUND =
  /公园(里|的|那|湖|旁)|河(边|道|堤|沿|水|面|里)|(那|这|一)条河|排洪沟|水渠|渠边|高速|绕城|国道|省道|地下通道|过街天桥|天桥|马路对面|马路上|马路边|街对面|大街上|街边|(?<!小区|路)路边|行道树|法桐|梧桐毛|杨絮|柳絮|洒水车|环卫|公交|站台|(那|这|早|晚|末)班车|班次|发车|多发[几两一]?趟|村里|(旁边|附近|隔壁|北边|南边|东边|西边|对面)(的|那个)?村|焚烧厂|炸街|摩托车?[^，。]{0,6}(轰|吵|响)|流浪汉|乞丐|网格员|城中村|地铁|铁路|火车道/;
const ESTATE_OR_DANGER =
  /物业|业委会|业主大会|物管|小区(里|内)|院(里|内)|楼道|楼顶|电梯|车库|车位|地下室|消防|业主|维修资金|臭鸡蛋|煤气|燃气|火(?!车)|(?<!(烧烤|烤串|油烟)[^。]{0,10})冒烟|浓烟|爆炸|触电/;

const CITY_REDIRECT =
  "小区外面的道路、河道、公园、公交和环卫等公共事务不归物业管理，由城市管理、交通、生态环境等部门负责：可以拨打 12345 政务服务热线反映；有人身危险请先拨打 110 或 119。";

function aroundTheEstate(text: string): boolean {
  return CITY_AROUND.test(text) && !ESTATE_OR_DANGER.test(text);
}

/**
 * The estate's people in another capacity: its guards, cleaners and clerks as employees (their
 * wages, injuries and dismissals are labour matters), the company's side businesses (a laundry,
 * water delivery, a letting agency: consumer matters), committee members' day jobs and family
 * occasions, a neighbours' trading group, a family's troubles seen on the stairs, a vending
 * machine's or a charging app's refund, the school catchment the address falls in. Named 物业 or 业委会, they are still
 * not what the property rules govern, unless the message turns to what the estate owes its owners.
 */
const ESTATE_STAFF_AS_EMPLOYEES =
  /((我|俺)(老公|爱人|媳妇|老婆|爸|妈|爹|娘|婆婆|儿子|闺女|女儿|姐|哥|弟|妹|嫂子|亲戚)?|她|他)(是|在)[^。]{0,12}(物业|小区|公司)[^。]{0,8}(当|干|做|上班|的(保安|保洁|电工|维修工|客服|出纳|会计|绿化|门卫|前台|管家))|(?<!物业)当(保安|保洁|客服|出纳|电工|维修工|门卫|管家)|(让|要求|逼|强制)员工|干(绿化|保洁|保安)|(保洁|保安)员?[^。]{0,20}临时工|临时工[^。]{0,20}(保洁|保安)/;
const LABOUR_MATTER =
  /工资|薪水|工钱|加班费|不发钱|辞退|开除|不用来了|辞职|工伤|医药费|社保|劳动合同|毕业证|理财|评优|扣(着|了)?[^，。]{0,6}(证|钱|工资)|转发/;
const SIDE_BUSINESS =
  /物业[^。，]{0,8}(洗衣房|送水|水票|房屋中介|中介|超市|便利店|小卖部|旅行|旅游|家政|托管班|饭店|餐厅)|(业委会|委员会)[^。]{0,6}(主任|委员|会长)[^。]{0,24}(自己开|平时在|正好是|儿子|女儿|闺女|结婚|请柬|随礼|驾校|银行|理财|班主任|老师)|(闲置|二手|团购|跳蚤)群|群主[^。]{0,10}(踢|移出|拉黑|禁言)|(接|干)私活|私底下[^。]{0,6}借|好(吃|玩)的[^。]{0,4}推荐|推荐[^。]{0,4}好(吃|玩)的|闲置的|收(个)?二手|闹离婚|家暴|打(老婆|媳妇|老公)|酒就打|募捐|众筹|售货机|(充电桩|快递柜)[^。]{0,30}(扫码|退款|没退|吞|超时费)|(小学|中学|学校)片区|划在哪个/;
const OWED_TO_OWNERS =
  /公共|共有|共用|占用|占了|用房|车位|绿地|物业费|公共收益|维修资金|维修基金|选举|换届|罢免|开会|表决|投票|账目|公示|公章|服务合同|撤(了|走)|没人(看|管|扫|修)/;

const LABOUR_REDIRECT =
  "物业公司员工的工资、工伤、辞退等属于劳动争议，不归物业管理条文管：可以拨打 12333 劳动保障咨询电话，或向当地劳动保障监察部门反映；也可拨打 12348 公共法律服务热线。";

/** One of the estate's staff, or their family, telling of their own job: a labour matter whatever else is said. */
export function staffLabour(text: string): boolean {
  return ESTATE_STAFF_AS_EMPLOYEES.test(text) && LABOUR_MATTER.test(text);
}

/** The redirect for the estate's people in another capacity, or undefined when it is the estate's matter. */
function estatePeoplesOtherMatter(text: string): string | undefined {
  // A worker's own job stays a labour matter even when the owners' fees are blamed for it.
  if (staffLabour(text)) return LABOUR_REDIRECT;
  if (OWED_TO_OWNERS.test(text)) return undefined;
  return SIDE_BUSINESS.test(text) ? DEFAULT_REDIRECT : undefined;
}

/** Who can help with another body's matter, or undefined when the message is not one. */
export function otherBodysRedirect(text: string): string | undefined {
  if (homeSale(text)) return HOME_SALE_REDIRECT;
  if (aroundTheEstate(text)) return CITY_REDIRECT;
  return estatePeoplesOtherMatter(text);
}
