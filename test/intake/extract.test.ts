/**
 * Reading complaint fields from one message: 小区 names only from name-like
 * phrases or a reply to "哪个小区", the county written before a name, live
 * danger as an emergency (and danger told as past or hypothetical as not),
 * and corrections of a single field. Every sentence here was written for it.
 */
import { describe, expect, it } from "vitest";
import {
  assessUrgency,
  extractCommunity,
  extractCompany,
  extractDistrict,
  extractUrgency,
  liveDanger,
  readCorrections,
} from "../../bot/intake/extract.ts";

describe("community names", () => {
  it.each([
    "这物业费交的，钱花得冤枉",
    "俺家的车进不了小区，道闸天天坏",
    "物业把小区的绿地都占了",
    "我们小区一直没有物业",
    "隔壁小区也这样",
    "县城的医院旁边",
    "三期小区的电梯坏了",
  ])("finds no name in a sentence: %s", (text) => {
    expect(extractCommunity(text)).toBeUndefined();
  });

  it.each(["钱花得冤枉", "车进不了小区", "物业把小区", "两天没水了", "邻居", "老家属院"])(
    "does not take a sentence fragment as the answer to 哪个小区: %s",
    (text) => {
      expect(extractCommunity(text, { answering: true })).toBeUndefined();
    },
  );

  it.each([
    ["我住在鹰城花园3号楼，楼道灯坏了", "鹰城花园"],
    ["建业森林半岛的电梯又停了", "建业森林半岛"],
    ["县城的凤凰城小区物业不管事", "凤凰城小区"],
    ["我们小区叫锦绣江南", "锦绣江南"],
    ["是鹰城花园，不是鹰城家园", "鹰城花园"],
  ])("reads the name in %s", (text, name) => {
    expect(extractCommunity(text)?.name).toBe(name);
  });

  it("takes a bare reply as the name only when it answers 哪个小区", () => {
    expect(extractCommunity("我们是东方今典")).toBeUndefined();
    expect(extractCommunity("我们是东方今典", { answering: true })?.name).toBe("东方今典");
    expect(extractCommunity("嗯，在金色阳光那边", { answering: true })?.name).toBe("金色阳光");
  });

  it.each([
    ["汝州市钟楼小区", "汝州市", "钟楼小区"],
    ["舞钢翡翠城", "舞钢市", "翡翠城"],
    ["鲁山阳光花园停水两天了", "鲁山县", "阳光花园"],
    ["我在卫东区建业森林半岛", "卫东区", "建业森林半岛"],
  ])("splits the county from %s", (text, district, name) => {
    const found = extractCommunity(text, { answering: true });
    expect(found?.name).toBe(name);
    expect(found?.district).toBe(district);
    expect(extractDistrict(text)).toBe(district);
  });

  it("keeps a county short form that is part of the name, and the phase written after it", () => {
    // CONTRACTS §4: the name as the resident gave it; 二期 tells staff which part of the estate.
    expect(extractCommunity("湛河湾畔二期")?.name).toBe("湛河湾畔二期");
    expect(extractDistrict("湛河湾畔二期")).toBeUndefined();
  });
});

describe("urgency", () => {
  it.each([
    "电梯卡在六楼和七楼中间不动了，俺妈还在里面",
    "楼道里全是烟，呛得睁不开眼",
    "一进单元门就闻到很冲的煤气味",
    "楼下配电箱一直在打火花，噼啪响",
    "我被困在电梯里了，呼叫按钮没人应",
    "地下车库有辆电动车着火了",
  ])("calls live danger an emergency: %s", (text) => {
    expect(liveDanger(text)).toBeDefined();
    expect(extractUrgency(text)).toBe("emergency");
  });

  it.each([
    "上个月电梯困过人，到现在维保也没换",
    "万一着火了，这楼道根本跑不出去",
    "燃气灶打不着火，燃气公司说找物业",
    "听说隔壁小区前几天着火了",
    "电梯里老有人抽烟",
    "要是哪天燃气漏了可咋办，管子都锈了",
  ])("does not call past, hypothetical or harmless mentions an emergency: %s", (text) => {
    expect(extractUrgency(text)).not.toBe("emergency");
  });

  it("calls a water or power cut and a blocked fire lane high", () => {
    expect(assessUrgency("俺们楼停水三天了")).toBe("high");
    expect(assessUrgency("消防通道天天被私家车堵得死死的")).toBe("high");
  });

  it("leaves an ordinary complaint normal", () => {
    expect(extractUrgency("业委会换届拖了两年")).toBeUndefined();
    expect(extractUrgency("物业费收据一直不给开")).toBeUndefined();
  });
});

describe("corrections", () => {
  it.each([
    ["小区名写错了，是鹰城花园", { community: "鹰城花园" }],
    ["不是鹰城家园，是鹰城花园", { community: "鹰城花园" }],
    ["区县是卫东区", { district: "卫东区" }],
    ["区县写错了，不是新华区，是湛河区", { district: "湛河区" }],
    ["物业公司是建业物业", { company: "建业物业" }],
    ["情况是楼顶漏水三个月了，物业一直推", { description: "楼顶漏水三个月了，物业一直推" }],
    ["不匿名了", { anonymous: false }],
    ["还是匿名吧", { anonymous: true }],
    ["位置写错了，应该是5号楼2单元", { location: "5号楼2单元" }],
  ])("reads %s", (text, want) => {
    expect(readCorrections(text)).toEqual(want);
  });

  it("finds nothing to correct in an ordinary message", () => {
    expect(readCorrections("楼道灯坏了好几天")).toBeUndefined();
  });

  it("reads the company's name without the words before it", () => {
    expect(extractCompany("物业公司是建业物业")).toBe("建业物业");
    expect(extractCompany("我们这是鹰城物业服务有限公司管的")).toBe("鹰城物业服务有限公司");
    expect(extractCompany("物业不管事")).toBeUndefined();
  });
});
