/**
 * After a rule is quoted, residents ask what happens to whoever breaks it
 * (他就是不…呢, 罚不罚, 上哪告). The statute's liability chapter names the
 * article it enforces; that article is the answer, found from the loaded
 * sources rather than from a list kept in code.
 */
import { describe, expect, it } from "vitest";
import { penaltiesFor } from "../../bot/penalties.ts";
import { useCasebookEngine } from "../helpers/casebook-engine.ts";
import { residentChats } from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

describe("the units that punish breaking a unit", () => {
  it("are read from 违反本条例第N条 in the source text", async () => {
    const kb = await shippedKnowledgeBase();
    const fine = penaltiesFor(kb, ["henan-pmr-2017:39"]);
    expect(fine).toContain("henan-pmr-2017:82");
    for (const key of fine) {
      const text =
        kb
          .unit(key)
          ?.clauses.map((c) => c.text)
          .join("") ?? "";
      expect(text).toMatch(/违反本条例第[^，。]*三十九条/);
    }
    // A rule no article enforces by number has none.
    expect(penaltiesFor(kb, ["civil-code-2020:278"])).toEqual([]);
  });
});

const setup = useCasebookEngine("penalty");
let residents = 0;

describe("a follow-up about breaking the rule just quoted", () => {
  it.each(["他们就是不贴出来呢", "不公示罚不罚", "不贴的话上哪儿告他"])(
    "「%s」 after a question about publishing fees cites the penalty for it",
    async (followUp) => {
      const chats = residentChats(setup.engine(), "penalty", `penalty-${++residents}`, {
        conversationId: "group-penalty",
        map: undefined,
      });
      const first = await chats.say("物业收费的项目和价钱，按规定得在小区里贴出来吗");
      expect(first.citations).toContain("henan-pmr-2017:39");
      const reply = await chats.say(followUp);
      expect(["answer", "procedure"]).toContain(reply.kind);
      expect(reply.citations.slice(0, 2)).toContain("henan-pmr-2017:82");
    },
  );
});
