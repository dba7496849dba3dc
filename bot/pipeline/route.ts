import { composeFullText } from "../answer-offline.ts";
import { FULL_TEXT_FIRST } from "../fixed-replies.ts";
import { complaintSignal } from "../intake/classify.ts";
import {
  extractAnonymity,
  extractCommunity,
  extractContact,
  extractDistrict,
} from "../intake/extract.ts";
import { findDistricts } from "../intake/gazetteer.ts";
import { placeOutside } from "../places.ts";
import { judgeScope } from "../scope.ts";
import {
  CAPABILITIES,
  CAPABILITIES_EN,
  smalltalkReply,
  smalltalkReplyEnglish,
} from "../smalltalk.ts";
import { answerQuestion } from "./answer-question.ts";
import {
  asksAfterFiled,
  asksSomething,
  CASE_NUMBER,
  caseNumberOf,
  goesOnWithProgress,
  readIntent,
  tellsProblem,
  tellsTrouble,
} from "./intent.ts";
import { caseProgress } from "./progress.ts";
import { startComplaint } from "./start-complaint.ts";
import { type EngineContext, type Handler, plain, type Turn } from "./turn.ts";

/** Small talk in Latin letters only, other than a bare OK that Chinese speakers type too. */
const SAID_IN_ENGLISH = /^(?!\s*ok(?:ay)?\b)[\sA-Za-z!.,?'~]*[A-Za-z]{2,}[\sA-Za-z!.,?'~]*$/i;

/** How long and how much of a told problem is kept for a complaint that follows. */
const STORY_MS = 30 * 60 * 1000;
const STORY_TURNS = 3;

/** Where it is, or how to be named: what residents add when they report, not when they ask. */
function addsDetails(text: string): boolean {
  return (
    extractDistrict(text) !== undefined ||
    extractCommunity(text)?.strong === true ||
    extractAnonymity(text) !== undefined ||
    extractContact(text)?.phone != null
  );
}

/** 那我要投诉他们, 帮俺报上去: a request that names nothing of its own. */
function bareRequest(text: string): boolean {
  return text.length <= BARE_REQUEST_MAX_CHARS && !tellsTrouble(text) && !addsDetails(text);
}
const BARE_REQUEST_MAX_CHARS = 16;

/** What was kept of the last half hour (a story, a place), or nothing once it is older. */
function recent(kept: { texts: string[]; at: string } | undefined, at: string): string[] {
  return kept && Date.parse(at) - Date.parse(kept.at) <= STORY_MS ? kept.texts : [];
}

/** Where it is, with at most a few words that name no topic (这个能不能查查, 就这儿). */
function givesPlaceOnly(text: string): boolean {
  if (!addsDetails(text) || tellsTrouble(text) || text.length > PLACE_MAX_CHARS + 8) return false;
  const community = extractCommunity(text);
  const rest = [...findDistricts(text).map((m) => m.alias), community?.name ?? ""]
    .filter((n) => n !== "")
    .reduce((t, n) => t.split(n).join(""), text)
    .replace(/[^\p{Script=Han}a-z]/giu, "");
  return rest.length <= 10 && !judgeScope(rest).inScope;
}

/** The message names a city or province whose rules the sources do not hold. */
function outside(turn: Turn, ctx: EngineContext): boolean {
  const jurisdictions = [...new Set(ctx.kb.documents.map((d) => d.meta.jurisdiction))];
  return placeOutside(turn.msg.text, jurisdictions) !== undefined;
}

/** A message that only says where (鲁山 福泰园, 卫东区 北环路 松涛苑): nothing asked, nothing told. */
function onlyPlace(text: string): boolean {
  if (text.length > PLACE_MAX_CHARS || asksSomething(text) || tellsTrouble(text)) return false;
  const community = extractCommunity(text);
  const named = [
    ...findDistricts(text).map((m) => m.alias),
    ...(community?.strong ? [community.name] : []),
  ];
  if (named.length === 0) return false;
  // What is left besides the names: at most a word or two (我住, 城里, 东城).
  const rest = named
    .reduce((t, n) => t.split(n).join(""), text)
    .replace(ADDRESS_WORDS, "")
    .replace(/[^\p{Script=Han}a-z]/giu, "");
  return rest.length <= 4;
}
const PLACE_MAX_CHARS = 24;
/** 我住在, 那个, 建设路: how residents say where, around the names. */
const ADDRESS_WORDS =
  /[我俺]是[^，,。\s]{0,14}|我们?|俺们?|住在?|家在|在|那个|这个|的|是|就|小区|\p{Script=Han}{1,4}(路|街|大道)(上|边)?/gu;
const PLACE_NOTED =
  "好的，地点记下了。遇到了什么问题？说说发生了什么，我可以告诉您相关规定，也可以帮您登记投诉。";

/** Trouble told in English (broken for two weeks, nobody fixes it): kept like a story in Chinese. */
const EN_TROUBLE =
  /broken|not working|ignor|nobody|no one|for (a|an|two|three|several|\d+) (days?|weeks?|months?|years?)|out of (order|service)|cannot|can'?t|stuck|no (water|power|electricity|heating)|keeps? |leak|blocked|refus|won'?t|doesn'?t|didn'?t|stolen|asleep|never|always|dirty|overflow|stink|smell|noisy|dangerous|damaged|crack|locked|again|every (day|night|week)|since (last|the)|still (not|no)/i;

const VENT_REPLY =
  "听得出您很生气。具体遇到了什么事？比如哪里坏了多久没人修、收了什么不该收的费、谁占了通道……说清楚了，我可以告诉您相关规定，也可以帮您登记投诉。";
const LET_GO = "好的，不登记。还有其他物业方面的问题，随时问我。";
const SUBMIT_ONLY = /^(确认|确定|提交|confirm|submit)[\s，,]*(提交|报吧|报上去|吧)?[。！!～~.]*$/i;
const NOTHING_TO_CONFIRM = "现在没有等您确认的投诉。要登记投诉，直接告诉我发生了什么。";

/** How long after filing a message about "my matter" is read as asking after it. */
const FILED_MEMORY_MS = 60 * 24 * 3600 * 1000;

function recentlyFiled(turn: Turn): boolean {
  const filed = turn.conv.personal.filed;
  return filed !== undefined && Date.parse(turn.at) - Date.parse(filed.at) <= FILED_MEMORY_MS;
}

/** Reads what the message asks for and hands it to the one handler for that. */
export const route: Handler = async (turn, ctx) => {
  const chat = turn.conv.chat;
  const offer = chat.offer;
  // An offer is good for the very next message only; a story for half an hour.
  delete chat.offer;
  const story = recent(chat.story, turn.at);
  if (story.length === 0) delete chat.story;
  const place = recent(chat.place, turn.at);
  if (place.length === 0) delete chat.place;
  const notePlace = () => {
    chat.place = { texts: [...place, turn.text].slice(-STORY_TURNS), at: turn.at };
    return plain("clarify", PLACE_NOTED);
  };
  // Right after being told about their complaints, a short message that names no topic goes on
  // with it: a number typed again, the WeChat they filed from, a request to look once more.
  const progressTold = chat.progressTold;
  delete chat.progressTold;
  if (progressTold && goesOnWithProgress(turn.text)) {
    const number = turn.text.match(CASE_NUMBER)?.[0];
    return caseProgress(turn, ctx, number ? caseNumberOf(number) : undefined);
  }
  // After filing, "that matter" with how it is going, or a nudge, asks after the complaint.
  if (recentlyFiled(turn) && asksAfterFiled(turn.text, turn.conv.personal.filed?.about))
    return caseProgress(turn, ctx, undefined);
  // A button pressed, or a bare yes typed, when nothing waits (after leaving, or a second time).
  if (turn.msg.action || SUBMIT_ONLY.test(turn.text)) return plain("clarify", NOTHING_TO_CONFIRM);
  if (turn.text === "") return plain("unsupported", CAPABILITIES);

  // The district and name, with a few words of no topic, right after the offer: the place is the yes.
  if (offer && ctx.desk && chat.lastQuestion && givesPlaceOnly(turn.text)) {
    delete chat.place;
    return startComplaint(turn, ctx, {
      emergency: false,
      story: story.length > 0 ? story : [chat.lastQuestion],
      details: [...place, turn.text],
      answerFirst: false,
    });
  }
  const intent = readIntent(
    turn.text,
    offer !== undefined && ctx.desk !== undefined,
    chat.lastQuestion !== undefined,
  );
  switch (intent.kind) {
    case "full_text": {
      if (chat.lastCitations.length === 0) return plain("clarify", FULL_TEXT_FIRST);
      const composed = composeFullText(ctx.kb, chat.lastCitations);
      return { kind: "answer", citations: composed.citations, segments: composed.segments };
    }
    case "more": {
      if (chat.fuller)
        return plain(chat.fullerKind ?? "answer", chat.fuller, { citations: chat.lastCitations });
      if (chat.lastCitations.length === 0) return plain("clarify", FULL_TEXT_FIRST);
      const composed = composeFullText(ctx.kb, chat.lastCitations);
      return { kind: "answer", citations: composed.citations, segments: composed.segments };
    }
    case "help":
      if (turn.english) {
        // Help asked in English is answered in English, with no note about Chinese.
        turn.english = false;
        return plain("help", CAPABILITIES_EN);
      }
      return plain("help", CAPABILITIES);
    case "progress":
      return caseProgress(turn, ctx, intent.caseNumber);
    case "smalltalk":
      // Hi there / Thanks: too short to count as English text, but plainly not Chinese.
      if (turn.english || SAID_IN_ENGLISH.test(turn.msg.text)) {
        turn.english = false;
        return plain("smalltalk", smalltalkReplyEnglish(turn.msg.text));
      }
      return plain("smalltalk", smalltalkReply(turn.text) ?? CAPABILITIES);
    case "vent":
      return plain("clarify", VENT_REPLY);
    case "leave":
      delete chat.story;
      return offer
        ? plain("complaint_cancelled", LET_GO)
        : plain("smalltalk", "好的。还有其他物业方面的问题，随时问我。");
    case "accept":
      // The answer was given with the offer; now only the questions.
      delete chat.place;
      return startComplaint(turn, ctx, {
        emergency: false,
        story,
        // The place given together with the yes is kept too.
        details: addsDetails(turn.text) ? [...place, turn.text] : place,
        answerFirst: false,
      });
    case "complaint":
      // Trouble in another city or province is not filed here; the question is answered.
      if (!intent.emergency && !intent.explicit && outside(turn, ctx))
        return answerQuestion(turn, ctx, { aboutProblem: false });
      // Only where they live (and who they are), told first: kept for what they tell next.
      if (story.length === 0 && ctx.desk && !intent.emergency && onlyPlace(turn.text))
        return notePlace();
      delete chat.place;
      // Only the place or a name after the story was told: details, not more of the story.
      if (story.length > 0 && addsDetails(turn.text) && !tellsTrouble(turn.text))
        return startComplaint(turn, ctx, {
          emergency: intent.emergency,
          story,
          details: [...place, turn.text],
          answerFirst: false,
        });
      // 帮我报上去 after an answer: what was told or asked about is what is reported, and the
      // answer is not given twice. 他们从来不公布，帮我登记 after a question: what was asked names
      // the matter, this message what went wrong.
      if (!intent.emergency && intent.explicit) {
        const earlier = story.length > 0 ? story : chat.lastQuestion ? [chat.lastQuestion] : [];
        const bare = bareRequest(turn.text);
        const saysWhatWentWrong = story.length === 0 && !judgeScope(turn.text).inScope;
        if (earlier.length > 0 && (bare || saysWhatWentWrong))
          return startComplaint(turn, ctx, {
            emergency: false,
            story: bare ? earlier : [...earlier, turn.text],
            details: place,
            answerFirst: false,
          });
      }
      return startComplaint(turn, ctx, {
        emergency: intent.emergency,
        story: [...story, turn.text],
        details: place,
        answerFirst: true,
      });
    case "question": {
      // Only the place, right after asking about their own trouble: that trouble is what they report.
      if (story.length === 0 && ctx.desk && onlyPlace(turn.text) && chat.lastQuestion) {
        if (complaintSignal(chat.lastQuestion).score >= 2)
          return startComplaint(turn, ctx, {
            emergency: false,
            story: [chat.lastQuestion],
            details: [...place, turn.text],
            answerFirst: false,
          });
      }
      // Where they live, told before anything else: kept for what they tell next.
      if (story.length === 0 && ctx.desk && onlyPlace(turn.text)) return notePlace();
      // Asked what happened after giving the place, what they tell is the complaint.
      const tells =
        judgeScope(turn.text).inScope &&
        (!asksSomething(turn.text) || tellsTrouble(turn.text) || tellsProblem(turn.text));
      // Trouble told in English with the place in the same message is a report.
      const englishReport =
        turn.english && EN_TROUBLE.test(turn.msg.text) && !/\?/.test(turn.msg.text);
      if (ctx.desk && ((place.length > 0 && tells) || (englishReport && addsDetails(turn.text)))) {
        delete chat.place;
        return startComplaint(turn, ctx, {
          emergency: false,
          story: [...story, turn.text],
          details: place,
          answerFirst: true,
        });
      }
      // The place named after the trouble was told: the resident is reporting it.
      if (story.length > 0 && ctx.desk && !asksSomething(turn.text) && addsDetails(turn.text))
        return startComplaint(turn, ctx, {
          emergency: false,
          story,
          details: [turn.text],
          answerFirst: false,
        });
      const answer = await answerQuestion(turn, ctx, { aboutProblem: intent.aboutProblem });
      // What happened, told or asked about, is kept; a question about a rule is not.
      const situation =
        !asksSomething(turn.text) &&
        turn.text.length >= 10 &&
        complaintSignal(turn.text).score >= 2;
      const englishTrouble = turn.english && EN_TROUBLE.test(turn.msg.text);
      if (tellsTrouble(turn.text) || tellsProblem(turn.text) || situation || englishTrouble)
        chat.story = { texts: [...story, turn.text].slice(-STORY_TURNS), at: turn.at };
      return answer;
    }
  }
};
