import type { District } from "../complaint.ts";

/**
 * The twelve county-level districts of 平顶山 and the ways residents write
 * them (in English too, in lower case: they are matched without case).
 * Longer forms first so 城乡一体化示范区 wins over 示范区.
 */
export const DISTRICT_ALIASES: [District, string[]][] = [
  [
    "城乡一体化示范区",
    ["城乡一体化示范区", "城乡一体化", "示范区", "新城区", "demonstration zone"],
  ],
  ["新华区", ["新华区", "新华", "xinhua district", "xinhua"]],
  ["卫东区", ["卫东区", "卫东", "weidong district", "weidong"]],
  ["湛河区", ["湛河区", "湛河", "zhanhe district", "zhanhe"]],
  ["石龙区", ["石龙区", "石龙", "shilong district", "shilong"]],
  ["舞钢市", ["舞钢市", "舞钢", "wugang"]],
  ["汝州市", ["汝州市", "汝州", "ruzhou"]],
  ["宝丰县", ["宝丰县", "宝丰", "baofeng county", "baofeng"]],
  ["叶县", ["叶县", "ye county", "yexian"]],
  ["鲁山县", ["鲁山县", "鲁山", "lushan county", "lushan"]],
  ["郏县", ["郏县", "jia county", "jiaxian"]],
  [
    "高新区",
    [
      "高新技术产业开发区",
      "高新区",
      "高新",
      "high-tech zone",
      "hi-tech zone",
      "high tech zone",
      "gaoxin",
    ],
  ],
];

/** Words that contain a short district form but are not a district. */
const FALSE_FRIENDS = ["新华书店", "新华社", "湛河北路", "湛河大道", "宝丰酒", "高新技术企业"];

/**
 * A short form glued to a 小区 suffix is part of the 小区's name (湛河湾畔,
 * 石龙佳苑, 新华苑), not a district; with a name of its own after it
 * (鲁山阳光花园, 舞钢翡翠城) it is the county written before the name.
 */
const NAME_AFTER_SHORT_FORM =
  /^[\p{Script=Han}]?(湾畔|湖畔|花园|家园|名苑|佳苑|新苑|苑|名居|雅居|公寓|新村|华府|华庭|小区)/u;

export interface DistrictMention {
  district: District;
  alias: string;
  index: number;
}

export function findDistricts(text: string): DistrictMention[] {
  const out: DistrictMention[] = [];
  const taken = new Array<boolean>(text.length).fill(false);
  const masked = FALSE_FRIENDS.reduce(
    (t, w) => t.split(w).join("\u0000".repeat(w.length)),
    text.toLowerCase(),
  );
  for (const [district, aliases] of DISTRICT_ALIASES) {
    for (const alias of [...aliases].sort((a, b) => b.length - a.length)) {
      let from = 0;
      for (;;) {
        const i = masked.indexOf(alias, from);
        if (i < 0) break;
        from = i + alias.length;
        if (taken.slice(i, i + alias.length).some(Boolean)) continue;
        // An English name inside a longer word (lushanroad) is not the county.
        if (/^[a-z]/.test(alias) && /[a-z]/.test(masked[i + alias.length] ?? "")) continue;
        const short = !/[区县市]$/.test(alias);
        // 新华路, 卫东街: a road named after the district, not the district.
        if (short && /^[路街](?![道办])|^大道/.test(masked.slice(i + alias.length))) continue;
        if (short && NAME_AFTER_SHORT_FORM.test(masked.slice(i + alias.length))) continue;
        for (let k = i; k < i + alias.length; k++) taken[k] = true;
        out.push({ district, alias, index: i });
      }
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
