/**
 * The intake classifier: its cached model matches the reviewed sentences, it
 * learns something a trivial rule cannot (checked on sentences it was not
 * trained on), and it sorts new sentences written for this test.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATEGORIES, type Category, URGENCIES } from "../../bot/complaint.ts";
import { assignFolds, trainNaiveBayes } from "../../bot/intake/classifier.ts";
import { MODEL_FILE, readTrainingSet } from "../../bot/intake/classifier-data.ts";
import {
  buildModelFile,
  CATEGORY_OPTIONS,
  categoryExamples,
  intakeModels,
} from "../../bot/intake/classifier-model.ts";
import { classifyComplaint, complaintSignal } from "../../bot/intake/classify.ts";

const training = readTrainingSet();

describe("training set", () => {
  it("is large and covers every category and urgency", () => {
    expect(training.length).toBeGreaterThanOrEqual(1200);
    for (const c of CATEGORIES)
      expect(training.filter((l) => l.category === c).length).toBeGreaterThanOrEqual(100);
    for (const u of URGENCIES)
      expect(training.filter((l) => l.urgency === u).length).toBeGreaterThanOrEqual(40);
  });

  it("holds each sentence once", () => {
    expect(new Set(training.map((l) => l.text)).size).toBe(training.length);
  });

  it("is what the shipped model was built from (rebuild: classifier-cli.ts build)", () => {
    const shipped = JSON.parse(readFileSync(MODEL_FILE, "utf8"));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(buildModelFile(training))));
  });
});

describe("category classifier", () => {
  it("beats always answering the largest class on a held-back fold", () => {
    const examples = categoryExamples(training);
    const folds = assignFolds(examples, 5);
    const train = examples.filter((_, i) => folds[i] !== 0);
    const test = examples.filter((_, i) => folds[i] === 0);
    const model = trainNaiveBayes(CATEGORIES, train, CATEGORY_OPTIONS);
    const accuracy =
      test.filter((e) => model.predict(e.text).label === e.label).length / test.length;
    const counts = CATEGORIES.map((c) => train.filter((e) => e.label === c).length);
    const largest = CATEGORIES[counts.indexOf(Math.max(...counts))] as Category;
    const baseline = test.filter((e) => e.label === largest).length / test.length;
    expect(baseline).toBeLessThan(0.25);
    expect(accuracy).toBeGreaterThan(baseline + 0.45);
  });

  // Written for this test; none of them is in the training set (checked below).
  const fresh: [string, Category][] = [
    ["俺们楼想选个业委会，问了三回居委会都说再等等", "governance"],
    ["业委会的换届投票是物业的人一手操办的", "governance"],
    ["物业今年突然把物业费从一块二涨到一块八，连个说明都没贴", "fees"],
    ["停车位一个月收三百，收了钱连张票都不给", "fees"],
    ["单元楼道里停了五六辆电瓶车，晚上都插着线充电", "safety"],
    ["消防栓拧开了一点水都没有，灭火器也是空壳子", "safety"],
    ["厕所顶上一直滴水，报修两个礼拜了没人上门", "service_quality"],
    ["垃圾桶三天没人倒了，招了一堆苍蝇", "service_quality"],
    ["俺们这个老院子从来没有物业，路灯坏了也没人问", "coverage"],
    ["厂子倒闭以后宿舍楼就没人管了，化粪池都冒了", "coverage"],
    ["老物业合同到期了还占着门岗不走，新物业进不来", "misconduct"],
    ["装修必须用物业介绍的师傅，自己找的工人不让进", "misconduct"],
    ["楼上那家每天夜里拖椅子，咣咣响，根本睡不着", "other"],
    ["对门把旧沙发扔在公共楼梯口，说了也不挪", "other"],
  ];

  it("was not trained on the sentences below", () => {
    const texts = new Set(training.map((l) => l.text));
    for (const [text] of fresh) expect(texts.has(text)).toBe(false);
  });

  it("sorts new resident sentences into the plan's actions", () => {
    const wrong = fresh.filter(([text, want]) => classifyComplaint(text) !== want);
    // At most one miss in fourteen: the features generalise, not only memorise.
    expect(wrong.length, JSON.stringify(wrong)).toBeLessThanOrEqual(1);
  });

  it("says nothing about a message with no complaint in it", () => {
    expect(classifyComplaint("好的，谢谢")).toBeUndefined();
    expect(classifyComplaint("你好")).toBeUndefined();
  });

  it("lists the features that decide each class", () => {
    const top = intakeModels()
      .category.topFeatures("governance", 20)
      .map((f) => f.feature);
    expect(top.some((f) => f.includes("业委"))).toBe(true);
    const fees = intakeModels()
      .category.topFeatures("fees", 20)
      .map((f) => f.feature);
    expect(fees.some((f) => f.includes("费"))).toBe(true);
  });
});

describe("complaint signal", () => {
  it("reads a stated problem as a complaint and a greeting as nothing", () => {
    expect(complaintSignal("物业把消防通道租出去摆摊了，一直没人管").score).toBeGreaterThanOrEqual(
      4,
    );
    expect(complaintSignal("你好").score).toBeLessThan(4);
    expect(complaintSignal("物业费一般怎么算？").question).toBe(true);
  });
});
