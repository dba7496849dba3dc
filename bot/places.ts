/**
 * Provinces and larger cities residents may name when asking about rules
 * elsewhere. A place is "covered" when a loaded source's jurisdiction is the
 * place itself or the province it belongs to; anything else gets a caveat
 * and an answer from the national rules only.
 */
const PROVINCES: Record<string, string[]> = {
  北京: ["北京"],
  天津: ["天津"],
  上海: ["上海"],
  重庆: ["重庆"],
  河北: ["石家庄", "唐山", "保定", "邯郸", "廊坊", "沧州", "秦皇岛"],
  山西: ["太原", "大同", "长治", "运城", "晋城"],
  内蒙古: ["呼和浩特", "包头", "鄂尔多斯"],
  辽宁: ["沈阳", "大连", "鞍山", "锦州"],
  吉林: ["长春", "吉林市"],
  黑龙江: ["哈尔滨", "大庆", "齐齐哈尔"],
  江苏: ["南京", "苏州", "无锡", "常州", "徐州", "南通", "扬州"],
  浙江: ["杭州", "宁波", "温州", "绍兴", "嘉兴", "金华", "台州"],
  安徽: ["合肥", "芜湖", "蚌埠", "阜阳", "亳州"],
  福建: ["福州", "厦门", "泉州", "漳州"],
  江西: ["南昌", "赣州", "九江"],
  山东: ["济南", "青岛", "烟台", "潍坊", "临沂", "淄博", "济宁", "菏泽", "聊城"],
  河南: [
    "郑州",
    "洛阳",
    "开封",
    "平顶山",
    "安阳",
    "新乡",
    "焦作",
    "南阳",
    "许昌",
    "漯河",
    "信阳",
    "周口",
    "驻马店",
    "商丘",
    "三门峡",
    "鹤壁",
    "濮阳",
    "济源",
  ],
  湖北: ["武汉", "襄阳", "宜昌", "十堰", "荆州"],
  湖南: ["长沙", "株洲", "湘潭", "衡阳", "岳阳"],
  广东: ["广州", "深圳", "东莞", "佛山", "珠海", "中山", "惠州", "汕头"],
  广西: ["南宁", "柳州", "桂林"],
  海南: ["海口", "三亚"],
  四川: ["成都", "绵阳", "德阳", "宜宾"],
  贵州: ["贵阳", "遵义"],
  云南: ["昆明", "大理"],
  西藏: ["拉萨"],
  陕西: ["西安", "宝鸡", "咸阳", "榆林"],
  甘肃: ["兰州", "天水"],
  青海: ["西宁"],
  宁夏: ["银川"],
  新疆: ["乌鲁木齐"],
  香港: ["香港"],
  澳门: ["澳门"],
  台湾: ["台北", "台湾"],
};

const PLACE_OF = new Map<string, { name: string; province: string }>();
for (const [province, cities] of Object.entries(PROVINCES)) {
  PLACE_OF.set(province, { name: province, province });
  for (const city of cities) PLACE_OF.set(city, { name: city, province });
}
const NAMES = [...PLACE_OF.keys()].sort((a, b) => b.length - a.length);
const PATTERN = new RegExp(`(${NAMES.join("|")})(?:省|市|自治区|特别行政区)?`, "g");

/** Words that make a place name part of something else (郑州路, 上海花园, 北京华联). */
const NOT_A_PLACE_AFTER = /^(路|街|大道|小区|花园|家园|公寓|华联|银行|商场|广场|名苑)/;

/**
 * The first place the text names that no loaded jurisdiction covers, or
 * undefined. `covered` holds the jurisdictions of the loaded sources.
 */
export function placeOutside(text: string, covered: string[]): string | undefined {
  const local = covered.filter((j) => j !== "全国");
  const inScope = (p: { name: string; province: string }) =>
    local.some((j) => j.startsWith(p.province) || j.startsWith(p.name));
  for (const m of text.matchAll(PATTERN)) {
    const name = m[1] ?? "";
    const after = text.slice((m.index ?? 0) + m[0].length);
    if (NOT_A_PLACE_AFTER.test(after)) continue;
    const place = PLACE_OF.get(name);
    if (place && !inScope(place)) return m[0];
  }
  return undefined;
}
