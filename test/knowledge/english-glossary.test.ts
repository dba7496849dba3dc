import { describe, expect, it } from "vitest";
import { englishGlossary, englishSearchTerms } from "../../knowledge/english-glossary.ts";
import { unitText } from "../../knowledge/unit.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const termsOf = (text: string) => englishSearchTerms(text).split(" ").filter(Boolean);

describe("the English glossary (reviewed data)", () => {
  it("searches only with words the loaded sources actually contain", async () => {
    const kb = await shippedKnowledgeBase();
    const texts = kb.documents.flatMap((d) => d.units.map(unitText));
    const words = [...new Set(englishGlossary().flatMap((e) => e.chinese.split(/\s+/)))];
    expect(words.length).toBeGreaterThan(100);
    // A word no unit contains can never match, so its entry would silently do nothing.
    const absent = words.filter((w) => w !== "" && !texts.some((t) => t.includes(w)));
    expect(absent).toEqual([]);
  });

  // A short word inside a longer one, or a word in its everyday sense, must not
  // pull in the rules for something else.
  it.each([
    ["The electricity in our block keeps tripping at night", "选举"],
    ["My apartment faces the inner garden", "信息化技术手段"],
    ["We met in an apartment to talk about the vote", "信息化技术手段"],
    ["The power went off in the whole building last night", "逾期不交纳"],
    ["Are pets allowed in the lift?", "逾期不交纳"],
    ["They keep towing cars away from our estate", "逾期不交纳"],
    ["The street outside our gate has no lights", "林木"],
    ["Children play football in the courtyard until late", "人民法院"],
    ["There is an issue with the intercom at our door", "人民法院"],
    ["We want to pursue the matter with the property company", "诉讼"],
    ["My upstairs neighbour plays the piano at midnight", "楼梯间"],
    ["Our flat is ninety square metres", "分户计量"],
    ["Can the owners fire the company before the contract ends?", "火灾"],
    ["It's fine if the guards check visitors at the gate", "罚款"],
    ["The guard rails on the stairs are loose", "保安人员"],
    ["The residents' committee came to see us about the rubbish", "业主委员会"],
    ["The company might leak my phone number to salesmen", "渗漏"],
  ])("%s → no %s", (sentence, wrong) => {
    expect(termsOf(sentence)).not.toContain(wrong);
  });

  it.each([
    "Can the property management company recommend a good dentist near our estate?",
    "Which school district is our estate in? The developer said it was a good one.",
    "Will the bank approve my loan if I still owe property fees on my flat?",
  ])("gives no search terms for an off-topic question: %s", (question) => {
    expect(englishSearchTerms(question)).toBe("");
    // The question does carry estate words: only the off-topic entry keeps them out.
    const onTopic = englishGlossary().filter((e) => !e.offTopic);
    expect(englishSearchTerms(question, onTopic)).not.toBe("");
  });
});

describe("English questions through the retriever", () => {
  it.each([
    [
      "We are two months behind on the management fee and the property company shut off the water to our flat. Is that legal?",
      ["civil-code-2020:944"],
    ],
    [
      "Our old six-storey building has no lift. How many owners have to agree before we can add one?",
      ["henan-pmr-2017:59"],
    ],
    [
      "Someone threw a bottle out of a window and it hit my son, but nobody in the building admits it. Who pays?",
      ["civil-code-2020:1254"],
    ],
    [
      "The roof is leaking into the top-floor flats. Can the maintenance fund be used right away in an emergency?",
      ["henan-pmr-2017:70", "civil-code-2020:281"],
    ],
    [
      "The property company left the estate overnight without handing over the keys or the records. What can we do?",
      [
        "pds-plan-2024:2.6",
        "henan-pmr-2017:52",
        "henan-pmr-2017:83",
        "civil-code-2020:949",
        "state-pmr-2018:38",
      ],
    ],
    [
      "Cars block the fire lane every night and the management does nothing about it.",
      ["henan-fire-2014:17", "henan-pmr-2017:56", "pds-plan-2024:2.3"],
    ],
    [
      "My neighbour charges his e-bike in the corridor with a cable from his window.",
      ["henan-fire-2014:17", "henan-pmr-2017:56", "pds-plan-2024:2.3"],
    ],
  ])("%s", async (question, expected) => {
    const kb = await shippedKnowledgeBase();
    expect(expected.filter((k) => kb.unit(k) === undefined)).toEqual([]);
    const keys = (await kb.retriever.search(question, { limit: 5 })).hits.map((h) => h.key);
    expect(keys.filter((k) => expected.includes(k))).not.toEqual([]);
  });
});
