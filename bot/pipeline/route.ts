import { composeFullText } from "../answer-offline.ts";
import { FULL_TEXT_FIRST } from "../fixed-replies.ts";
import { CAPABILITIES, CAPABILITIES_EN, smalltalkReply } from "../smalltalk.ts";
import { answerQuestion } from "./answer-question.ts";
import { readIntent } from "./intent.ts";
import { caseProgress } from "./progress.ts";
import { startComplaint } from "./start-complaint.ts";
import { type Handler, plain } from "./turn.ts";

const LET_GO = "好的，不登记。还有其他物业方面的问题，随时问我。";
const NOTHING_TO_CONFIRM = "现在没有等您确认的投诉。要登记投诉，直接告诉我发生了什么。";

/** Reads what the message asks for and hands it to the one handler for that. */
export const route: Handler = async (turn, ctx) => {
  const chat = turn.conv.chat;
  const offer = chat.offer;
  // An offer is good for the very next message only.
  delete chat.offer;
  if (turn.msg.action) return plain("clarify", NOTHING_TO_CONFIRM);
  if (turn.text === "") return plain("unsupported", CAPABILITIES);

  const intent = readIntent(turn.text, offer !== undefined && ctx.desk !== undefined);
  switch (intent.kind) {
    case "full_text": {
      if (chat.lastCitations.length === 0) return plain("clarify", FULL_TEXT_FIRST);
      const composed = composeFullText(ctx.kb, chat.lastCitations);
      return { kind: "answer", citations: composed.citations, segments: composed.segments };
    }
    case "more": {
      if (chat.fuller) return plain("answer", chat.fuller, { citations: chat.lastCitations });
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
      return plain("smalltalk", smalltalkReply(turn.text) ?? CAPABILITIES);
    case "leave":
      return offer
        ? plain("complaint_cancelled", LET_GO)
        : plain("smalltalk", "好的。还有其他物业方面的问题，随时问我。");
    case "accept":
      // The answer was given with the offer; now only the questions.
      return startComplaint(turn, ctx, {
        emergency: false,
        texts: offer?.texts ?? [],
        answerFirst: false,
      });
    case "complaint":
      return startComplaint(turn, ctx, {
        emergency: intent.emergency,
        texts: [turn.text],
        answerFirst: true,
      });
    case "question":
      return answerQuestion(turn, ctx, { aboutProblem: intent.aboutProblem });
  }
};
