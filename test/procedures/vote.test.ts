import { describe, expect, it } from "vitest";
import {
  CITATION_LINE,
  computeVote,
  formatVote,
  parseVoteQuestion,
  type VoteInput,
} from "../../bot/procedures/vote.ts";

// All expected outcomes below are worked out by hand from 民法典第二百七十八条:
// participation needs area >= 2/3 AND headcount >= 2/3 of the totals;
// an ordinary matter needs approving area > 1/2 AND approving headcount > 1/2 of those taking part;
// a major matter (items 6-8) needs approving area >= 3/4 AND headcount >= 3/4 of those taking part.

describe("computeVote", () => {
  it("exactly two thirds participation reaches the threshold (以上 includes the number)", () => {
    // 60,000 / 90,000 = 2/3 exactly (60,000 * 3 = 180,000 = 90,000 * 2);
    // 600 / 900 = 2/3 exactly (600 * 3 = 1,800 = 900 * 2).
    // Ordinary matter: 40,000 / 60,000 > 1/2 and 400 / 600 > 1/2. So it passes.
    const r = computeVote({
      totalArea: 90_000,
      totalOwners: 900,
      participatingArea: 60_000,
      participatingOwners: 600,
      approvingArea: 40_000,
      approvingOwners: 400,
      matter: "ordinary",
    });
    expect(r.passes).toBe(true);
    expect(r.missing).toEqual([]);
    const areaLine = r.lines.find((l) => l.startsWith("参与表决面积"));
    expect(areaLine).toContain("60,000/90,000");
    expect(areaLine).toMatch(/：达到$/);
  });

  it("exactly two thirds with decimal areas is not lost to floating point", () => {
    // 66.8 / 100.2 = 668 / 1002 = 2/3 exactly (668 * 3 = 2,004 = 1,002 * 2),
    // although 66.8 * 3 < 100.2 * 2 in IEEE doubles.
    // Headcount 30 / 45 = 2/3 exactly. Approval: 40 / 66.8 > 1/2, 16 / 30 > 1/2. Passes.
    const r = computeVote({
      totalArea: 100.2,
      totalOwners: 45,
      participatingArea: 66.8,
      participatingOwners: 30,
      approvingArea: 40,
      approvingOwners: 16,
      matter: "ordinary",
    });
    expect(r.passes).toBe(true);
  });

  it("just under two thirds participation fails", () => {
    // 599 / 900: 599 * 3 = 1,797 < 1,800 = 900 * 2, so headcount participation is not reached,
    // although the area (70,000 / 90,000) is. Fails whatever the approvals.
    const r = computeVote({
      totalArea: 90_000,
      totalOwners: 900,
      participatingArea: 70_000,
      participatingOwners: 599,
      approvingArea: 60_000,
      approvingOwners: 550,
      matter: "ordinary",
    });
    expect(r.passes).toBe(false);
    const line = r.lines.find((l) => l.startsWith("参与表决人数"));
    expect(line).toContain("599/900");
    expect(line).toContain("至少 600 人");
    expect(line).toMatch(/未达到$/);
  });

  it("exactly half approval fails: 过半数 is strictly more than half", () => {
    // Participation 700 / 900 and 70,000 / 90,000 are above 2/3.
    // Approval headcount 350 / 700 = 1/2 exactly, which is not more than half. Area 40,000 / 70,000 > 1/2.
    const r = computeVote({
      totalArea: 90_000,
      totalOwners: 900,
      participatingArea: 70_000,
      participatingOwners: 700,
      approvingArea: 40_000,
      approvingOwners: 350,
      matter: "ordinary",
    });
    expect(r.passes).toBe(false);
    expect(r.lines.some((l) => l.includes("恰好是一半"))).toBe(true);
  });

  it("one more than half passes an ordinary matter", () => {
    // 351 / 700 > 1/2 (351 * 2 = 702 > 700).
    const r = computeVote({
      totalArea: 90_000,
      totalOwners: 900,
      participatingArea: 70_000,
      participatingOwners: 700,
      approvingArea: 40_000,
      approvingOwners: 351,
      matter: "ordinary",
    });
    expect(r.passes).toBe(true);
  });

  it("exactly three quarters passes a major matter", () => {
    // Participation 800 / 1,000 and 80,000 / 100,000 (both >= 2/3).
    // Approval 600 / 800 = 3/4 exactly (600 * 4 = 2,400 = 800 * 3); 60,000 / 80,000 = 3/4 exactly.
    const r = computeVote({
      totalArea: 100_000,
      totalOwners: 1_000,
      participatingArea: 80_000,
      participatingOwners: 800,
      approvingArea: 60_000,
      approvingOwners: 600,
      matter: "major",
    });
    expect(r.passes).toBe(true);
    expect(r.lines.some((l) => l.includes("四分之三以上") && l.endsWith("：达到"))).toBe(true);
  });

  it("just under three quarters fails a major matter that a majority would pass", () => {
    // 599 / 800: 599 * 4 = 2,396 < 2,400. Still more than half, but the matter is major.
    const r = computeVote({
      totalArea: 100_000,
      totalOwners: 1_000,
      participatingArea: 80_000,
      participatingOwners: 800,
      approvingArea: 60_000,
      approvingOwners: 599,
      matter: "major",
    });
    expect(r.passes).toBe(false);
  });

  it("area passing but headcount failing fails (both conditions are required)", () => {
    // Participation: 750 / 1,000 and 90,000 / 100,000, fine.
    // Approval (major): area 72,000 / 90,000 = 4/5 >= 3/4, headcount 500 / 750 = 2/3 < 3/4.
    const r = computeVote({
      totalArea: 100_000,
      totalOwners: 1_000,
      participatingArea: 90_000,
      participatingOwners: 750,
      approvingArea: 72_000,
      approvingOwners: 500,
      matter: "major",
    });
    expect(r.passes).toBe(false);
    expect(r.lines.find((l) => l.startsWith("同意面积"))).toMatch(/：达到$/);
    expect(r.lines.find((l) => l.startsWith("同意人数"))).toMatch(/未达到$/);
  });

  it("missing area data gives unknown and names what is missing", () => {
    // Headcount alone: 700 / 900 >= 2/3 and 400 / 700 > 1/2, both fine; the areas decide.
    const r = computeVote({
      totalOwners: 900,
      participatingOwners: 700,
      approvingOwners: 400,
      matter: "ordinary",
    });
    expect(r.passes).toBe("unknown");
    expect(r.missing).toHaveLength(3);
    expect(r.missing.every((m) => m.includes("面积"))).toBe(true);
    const text = formatVote(r);
    expect(text).toContain("暂时无法判断");
    expect(text).toContain("请补充以下数据");
    expect(text).toContain("专有部分总面积");
  });

  it("a failing known condition decides even when other figures are missing", () => {
    // 500 / 900 < 2/3 (500 * 3 = 1,500 < 1,800): fails whatever the areas are.
    const r = computeVote({ totalOwners: 900, participatingOwners: 500, matter: "ordinary" });
    expect(r.passes).toBe(false);
  });

  it("without the matter, a 3/4 approval passes either way and a 1/2 approval fails either way", () => {
    const base: Partial<VoteInput> = {
      totalArea: 100_000,
      totalOwners: 1_000,
      participatingArea: 80_000,
      participatingOwners: 800,
    };
    // 640 / 800 = 4/5 >= 3/4 and 64,000 / 80,000 = 4/5: passes as ordinary and as major.
    expect(computeVote({ ...base, approvingArea: 64_000, approvingOwners: 640 }).passes).toBe(true);
    // 400 / 800 = 1/2, not more than half: fails as ordinary and as major.
    expect(computeVote({ ...base, approvingArea: 64_000, approvingOwners: 400 }).passes).toBe(
      false,
    );
    // 500 / 800 = 5/8: passes as ordinary, fails as major, so the matter is needed.
    const r = computeVote({ ...base, approvingArea: 50_000, approvingOwners: 500 });
    expect(r.passes).toBe("unknown");
    expect(r.missing.some((m) => m.includes("事项"))).toBe(true);
  });

  it("contradictory figures are reported, not passed", () => {
    const r = computeVote({
      totalArea: 100_000,
      totalOwners: 100,
      participatingArea: 90_000,
      participatingOwners: 120,
      approvingArea: 80_000,
      approvingOwners: 100,
      matter: "ordinary",
    });
    expect(r.passes).not.toBe(true);
    expect(r.problems.length).toBeGreaterThan(0);
  });

  it("formatVote is plain text and ends with the citation", () => {
    const text = formatVote(
      computeVote({
        totalArea: 90_000,
        totalOwners: 900,
        participatingArea: 60_000,
        participatingOwners: 600,
        approvingArea: 40_000,
        approvingOwners: 400,
        matter: "ordinary",
      }),
    );
    expect(text.endsWith(CITATION_LINE)).toBe(true);
    expect(text.endsWith("依据：《中华人民共和国民法典》第二百七十八条")).toBe(true);
    expect(text).toContain("表决通过");
    expect(text).not.toMatch(/\*\*|#|\|/);
  });
});

describe("parseVoteQuestion", () => {
  it("reads the figures of a typical message (using the fund is an ordinary matter, item 5)", () => {
    const q = parseVoteQuestion(
      "小区总面积12万平，一共860户，参加投票的有600户、面积9万平，同意的450户、7万平，要用维修基金修电梯",
    );
    expect(q).toEqual({
      totalArea: 120_000,
      totalOwners: 860,
      participatingArea: 90_000,
      participatingOwners: 600,
      approvingArea: 70_000,
      approvingOwners: 450,
      matter: "ordinary",
    });
    // By hand: 90,000 / 120,000 = 3/4 >= 2/3; 600 / 860: 1,800 >= 1,720; 70,000 / 90,000 > 1/2;
    // 450 / 600 > 1/2. Passes.
    expect(q && computeVote(q).passes).toBe(true);
  });

  it("reads numbers before their role words, decimals with 万, and spots a major matter", () => {
    const q = parseVoteQuestion(
      "我们小区860户，总面积12.5万平方米，这次表决改建车棚，有620户投了票，投票面积9.1万㎡，其中同意的480户，8万平米",
    );
    expect(q).toEqual({
      totalOwners: 860,
      totalArea: 125_000,
      participatingOwners: 620,
      participatingArea: 91_000,
      approvingOwners: 480,
      approvingArea: 80_000,
      matter: "major",
    });
  });

  it("reads a headcount-only message and ignores opposing votes", () => {
    const q = parseVoteQuestion(
      "业主大会选物业，总户数500户，参加的340户，同意的171户，反对的100户",
    );
    expect(q).toEqual({
      totalOwners: 500,
      participatingOwners: 340,
      approvingOwners: 171,
      matter: "ordinary",
    });
  });

  it("keeps full-width commas apart from thousands separators", () => {
    expect(parseVoteQuestion("我们小区1200户，600户参加了投票，同意的有400户，够不够")).toEqual({
      totalOwners: 1_200,
      participatingOwners: 600,
      approvingOwners: 400,
      matter: "ordinary",
    });
    expect(
      parseVoteQuestion("总面积120,000平方米,一共860户,参加投票600户,面积90,000平方米,同意450户"),
    ).toEqual({
      totalArea: 120_000,
      totalOwners: 860,
      participatingOwners: 600,
      participatingArea: 90_000,
      approvingOwners: 450,
      matter: "ordinary",
    });
  });

  it("treats raising (续筹) the fund as a major matter", () => {
    const q = parseVoteQuestion("续筹维修资金，一共300户，参与表决250户，同意190户");
    expect(q?.matter).toBe("major");
    expect(q?.totalOwners).toBe(300);
  });

  it("returns undefined for messages that are not about a vote", () => {
    expect(parseVoteQuestion("物业费一平米1.2元贵不贵")).toBeUndefined();
    expect(parseVoteQuestion("楼上漏水到我家了怎么办")).toBeUndefined();
    expect(parseVoteQuestion("业主大会投票怎么算")).toBeUndefined();
  });
});
