import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { type DialogueItem, DialogueItemSchema, loadDataset } from "../../eval/dataset.ts";
import { checkTurn, hasEnglishSentence } from "../../eval/dialogue-check.ts";
import { evaluateDialogues } from "../../eval/dialogue-eval.ts";

const dir = new URL("../../eval/datasets/tuning/", import.meta.url).pathname;
const tuningDialogues = loadDataset(
  readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => dir + f),
).dialogues;

const reply = (r: Partial<Reply>): Reply => ({ kind: "answer", text: "", citations: [], ...r });

describe("the dialogue metric can fail", () => {
  it("fails nearly every tuning dialogue for an engine that always gives one wrong kind", async () => {
    const { report, failures } = await evaluateDialogues(tuningDialogues, async () =>
      reply({ kind: "unsupported", text: "收到" }),
    );
    expect(report.n).toBe(tuningDialogues.length);
    expect(report.turn_pass_rate).toBeLessThan(0.1);
    expect(report.dialogue_pass_rate).toBeLessThan(0.05);
    expect(failures.length).toBeGreaterThan(tuningDialogues.length);
  });

  it("passes a dialogue whose every turn holds, and fails it when the filed case is not found again", async () => {
    const dialogue: DialogueItem = DialogueItemSchema.parse({
      id: "t-case",
      chat: "private",
      turns: [
        { text: "确认", expect: { kinds: ["complaint_filed"] } },
        { text: "查一下{case}", expect: { kinds: ["progress"], contains_all: ["{case}"] } },
      ],
    });
    const seen: IncomingMessage[] = [];
    const engine = (progressText: (asked: string) => string) => async (m: IncomingMessage) => {
      seen.push(m);
      return m.text === "确认"
        ? reply({ kind: "complaint_filed", text: "已提交", caseNumber: "PDS-20261201-0007" })
        : reply({ kind: "progress", text: progressText(m.text ?? "") });
    };
    const good = await evaluateDialogues(
      [dialogue],
      engine((asked) => `${asked.slice(3)}：受理中`),
    );
    expect(good.report).toEqual({ n: 1, turn_pass_rate: 1, dialogue_pass_rate: 1 });
    expect(seen[1]?.text).toBe("查一下PDS-20261201-0007");

    const bad = await evaluateDialogues(
      [dialogue],
      engine(() => "没有查到您的投诉"),
    );
    expect(bad.report).toEqual({ n: 1, turn_pass_rate: 0.5, dialogue_pass_rate: 0 });
  });

  it("sends group turns as a group message with the group map entry", async () => {
    const dialogue = DialogueItemSchema.parse({
      id: "t-group",
      chat: "group",
      group: { community: "鹰城花园", district: "卫东区" },
      turns: [{ text: "@物业助手 你好", expect: { max_chars: 10 } }],
    });
    const got: IncomingMessage[] = [];
    const { report } = await evaluateDialogues([dialogue], async (m) => {
      got.push(m);
      return reply({ kind: "smalltalk", text: "这是一条超过十个字的群聊回复。" });
    });
    expect(got[0]).toMatchObject({
      chatType: "group",
      group: { community: "鹰城花园", district: "卫东区" },
    });
    expect(got[0]?.conversationId).not.toBe(got[0]?.senderId);
    expect(report.turn_pass_rate).toBe(0);
  });
});

describe("each expectation of a turn", () => {
  const cases: [string, Parameters<typeof checkTurn>[0], Partial<Reply>, Partial<Reply>][] = [
    ["kinds", { kinds: ["answer"] }, { kind: "answer" }, { kind: "complaint_offer" }],
    [
      "not_kinds",
      { not_kinds: ["complaint_question"] },
      { kind: "answer" },
      { kind: "complaint_question" },
    ],
    [
      "cites_any",
      { cites_any: ["civil-code-2020:944"] },
      { citations: ["civil-code-2020:944"] },
      { citations: ["henan-pmr-2017:48"] },
    ],
    [
      "contains_all",
      { contains_all: ["卫东区", "已更新"] },
      { text: "已更新区县：卫东区" },
      { text: "区县：卫东区" },
    ],
    [
      "contains_any in the private part",
      { contains_any: ["联系方式"] },
      { text: "详情已私聊", privateText: "请留联系方式" },
      { text: "详情已私聊" },
    ],
    [
      "not_contains in the private part",
      { not_contains: ["13812345678"] },
      { text: "已私聊", privateText: "电话138****5678" },
      { text: "已私聊", privateText: "电话13812345678" },
    ],
    [
      "max_chars on the posted text only",
      { max_chars: 5 },
      { text: "好的", privateText: "很长很长很长很长的私聊内容" },
      { text: "这句话有六个字" },
    ],
    [
      "private",
      { private: true },
      { text: "已私聊", privateText: "请补充小区名称" },
      { text: "请补充小区名称" },
    ],
    [
      "english",
      { english: true },
      { text: "Note: I answer from Chinese regulations." },
      { text: "依据 civil-code-2020:944 回复 help" },
    ],
    [
      "first_chars",
      { first_chars: { n: 10, contains_any: ["119"] } },
      { text: "请立即拨打119，然后离开楼道" },
      { text: "您好，收到您的消息。如有火情请拨打119" },
    ],
    [
      "at_least",
      { at_least: { n: 2, of: ["甲", "乙", "丙"] } },
      { text: "甲和丙" },
      { text: "只有甲" },
    ],
  ];
  it.each(cases)("%s: holds and fails", (_name, expectation, pass, fail) => {
    expect(checkTurn(expectation, reply(pass), undefined)).toEqual([]);
    expect(checkTurn(expectation, reply(fail), undefined)).not.toEqual([]);
  });

  it("reads {case} as the last filed case and fails when none was filed", () => {
    const e = { contains_all: ["{case}"] };
    expect(checkTurn(e, reply({ text: "PDS-1 受理中" }), "PDS-1")).toEqual([]);
    expect(checkTurn(e, reply({ text: "没有查到" }), undefined)).not.toEqual([]);
  });

  it("tells an English sentence from Latin letters in a Chinese reply", () => {
    expect(hasEnglishSentence("You can ask the owners' assembly to decide.")).toBe(true);
    expect(hasEnglishSentence("回复 help 查看菜单；依据 henan-pmr-2017:48")).toBe(false);
  });

  it("rejects an expectation key it does not know, so a typo cannot check nothing", () => {
    expect(() =>
      DialogueItemSchema.parse({
        id: "x",
        chat: "private",
        turns: [{ text: "你好", expect: { kind: ["help"] } }],
      }),
    ).toThrow();
  });
});
