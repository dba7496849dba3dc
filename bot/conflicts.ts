/**
 * Where a Henan rule and a national law say different things on the same
 * point, the answer must say which prevails and why. Reviewed data: each
 * entry names the units on both sides and the explanation shown to residents.
 */
export interface RuleConflict {
  provincial: string[];
  national: string;
  note: string;
}

export const RULE_CONFLICTS: RuleConflict[] = [
  {
    provincial: ["henan-pmr-2017:22", "henan-pmr-2017:26", "henan-pmr-2017:66"],
    national: "civil-code-2020:278",
    note: "注意：业主大会的表决比例，《河南省物业管理条例》（2018年施行）与《中华人民共和国民法典》第二百七十八条（2021年施行）规定不一致。民法典是全国人大制定的法律，效力高于地方性法规，且施行在后，应按民法典执行：须专有部分面积和人数均占三分之二以上的业主参与表决；一般事项须参与表决面积和人数均过半数同意，筹集维修资金、改建重建、改变共有部分用途或利用共有部分经营等事项须参与表决面积和人数均四分之三以上同意。",
  },
];

/** The conflicts that touch any of the given units. */
export function conflictsFor(keys: string[]): RuleConflict[] {
  return RULE_CONFLICTS.filter(
    (c) => keys.includes(c.national) || c.provincial.some((p) => keys.includes(p)),
  );
}
