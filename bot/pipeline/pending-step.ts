import { CATEGORY_LABELS } from "../complaint.ts";
import { complaintSignal } from "../intake/classify.ts";
import {
  extractAnonymity,
  extractCommunity,
  extractCompany,
  extractContact,
  extractDistrict,
  extractLocation,
  type FieldCorrections,
  isCorrection,
  readBareCorrection,
  readCorrections,
} from "../intake/extract.ts";
import {
  advance,
  confirmsInSentence,
  EMERGENCY_FIRST,
  fileDraft,
  isCancel,
  isConfirm,
  pendingNote,
  questionAfterLeaving,
} from "../intake/flow.ts";
import { findDistricts } from "../intake/gazetteer.ts";
import {
  addDescription,
  applyDetails,
  NO_COMMUNITY_NAME,
  NO_DISTRICT_NAME,
  recordResidentTurn,
  stopAsking,
} from "../intake/intake.ts";
import type { IntakeState } from "../intake/intake-state.ts";
import { clearlyOffTopic, judgeScope } from "../scope.ts";
import { isSmalltalk } from "../smalltalk.ts";
import { asksSomething, readIntent, tellsTrouble } from "./intent.ts";
import { type Draft, type EngineContext, type Handler, plain, type Turn } from "./turn.ts";

/** Not leaving a phone or a name, in any order: 不留电话, 电话就不留了, 手机不方便给. */
const DECLINES_CONTACT =
  /(不留|不用留|不想留|不要留|不方便留|不愿意留)(我的)?(电话|手机号?|联系方式|名字|称呼)?|(不给|不方便给)(我的)?(电话|手机号?|联系方式)|(电话|手机号?|联系方式|名字|称呼)(就|还是|先)?(不留|不用留|不想留|不方便|不给|免了|算了|不写)/;

/** 情况补充一下：… says in so many words that what follows is more of the story. */
const SUPPLEMENT = /^(情况|再|我|俺)?补充(一下|一点|两句|说明)?[：:，,\s]/;

const CORRECTION_WORDS = /错|不对|不是|改成|改为|改一下|应该是|更正|纠正|换成|写成|重新/;

const DETAILS_IN_PRIVATE =
  "为保护您的隐私，位置、电话这些请在私聊里告诉我，群里发的联系方式不会记录。我已在私聊里等您。";

/** The clauses of a group message that carry no phone number or name. */
function withoutContact(text: string): string {
  return text
    .split(/[，,。；;！!\s]+/)
    .filter((clause) => clause !== "" && extractContact(clause) === undefined)
    .join("，");
}
const CANCELLED = "好的，已取消，这次的内容不会提交。需要时随时再找我。";
const CANCELLED_EN =
  "OK, cancelled: nothing from this conversation will be filed. Message me any time.";

/** Files the confirmed draft, closes it, and remembers the case for "that matter" asked later. */
async function fileAndClose(turn: Turn, ctx: EngineContext, state: IntakeState): Promise<Draft> {
  const filed = await fileDraft(ctx, turn.msg, state);
  const personal = turn.conv.personal;
  personal.intake = undefined;
  if (filed.caseNumber) {
    const about = state.draft.description;
    personal.filed = { number: filed.caseNumber, at: turn.at, ...(about ? { about } : {}) };
  }
  return filed;
}

/** Leaving told in English is answered in English, with no note about Chinese. */
function cancelled(turn: Turn): Draft {
  if (!turn.english) return plain("complaint_cancelled", CANCELLED);
  turn.english = false;
  return plain("complaint_cancelled", CANCELLED_EN);
}

const FIELD_LABELS: Record<keyof FieldCorrections, string> = {
  community: "小区",
  district: "区县",
  company: "物业公司",
  description: "情况",
  location: "位置",
  anonymous: "匿名",
  amendment: "情况",
};

/** How a story goes on: how often, since when, what was said and done next. */
const NARRATIVE =
  /第[一二三四五六七八九十\d]+(回|次)|[一二三四五六七八九十两几\d]+(回|次|天|个月|礼拜|星期|年)了|已经|又|一直|天天|每次|上礼拜|上周|昨天|前天|开始|后来|然后|结果|说是|他们说|物业说|门岗|保安/;

/** How a danger ended, or that help is on its way: 火灭了, 人救出来了, 我这就打 119. */
const AFTER_DANGER =
  /灭了|扑灭|没事了|没伤|人没事|都没事|救出来|出来了|修好了|(阀门?|气|闸)[^，。]{0,3}关(了|掉|上)|(消防|消防车|燃气公司|供电|电工|维保|救援|警察|民警)[^，。]{0,6}(来了|到了)|(这就|马上|正在|已经)[^，。]{0,3}打|打过(电话)?了|报警了|\b(is here|are here|arrived|got out|everyone.{0,10}(out|safe|ok|fine)|put (it )?out|under control|(i'?ve|we'?ve|i) called)\b/i;

const CALLING = /(这就|马上|正在|已经)[^，。]{0,3}打|打过(电话)?了|报警了|\bcall(ed|ing)\b/i;
const AFTER_DANGER_EN =
  'Glad to hear it. If you still want the complaint filed, tell me the district and community; reply "cancel" to drop it.';

/** Going on with the draft, or asking it to wait a moment. */
const GO_ON =
  /^(那)?(接着|继续)(弄|登记|报|来|办)?(吧|啊)?[。！!～~]*$|(接着|继续)(弄|登记|报|办)吧?[。！!～~]*$/;
const HOLD = /^(等会儿?|等一下|稍等|等等)[啊吧，,\s]|^(等会儿?|等一下|稍等|等等)[。！!～~]*$/;

/** Applies what a correction names; returns the fields that really changed, with their new values. */
function applyCorrections(state: IntakeState, c: FieldCorrections): [string, string][] {
  const d = state.draft;
  const changed: [string, string][] = [];
  const shown = (v: string) => (v.length > 60 ? `${v.slice(0, 60)}……` : v);
  // The resident's own words named the old value too: the description follows the correction.
  const retell = (before: string | null, after: string) => {
    if (before && before.length >= 2) d.description = d.description.split(before).join(after);
  };
  if (c.community !== undefined && d.community !== c.community) {
    retell(d.community, c.community);
    d.community = c.community;
    state.communityStrong = true;
    changed.push([FIELD_LABELS.community, c.community]);
  }
  if (c.district !== undefined && d.district !== c.district) {
    retell(d.district, c.district);
    d.district = c.district;
    changed.push([FIELD_LABELS.district, c.district]);
  }
  if (c.company !== undefined && d.company !== c.company) {
    retell(d.company, c.company);
    d.company = c.company;
    changed.push([FIELD_LABELS.company, c.company]);
  }
  if (c.location !== undefined && d.location !== c.location) {
    // 是3单元不是2单元: the story staff read says the corrected place too.
    if (d.location && d.description.includes(d.location))
      d.description = d.description.split(d.location).join(c.location);
    d.location = c.location;
    changed.push([FIELD_LABELS.location, c.location]);
  }
  if (c.description !== undefined && d.description !== c.description) {
    addDescription(state, c.description, true);
    stopAsking(state, "description");
    changed.push([FIELD_LABELS.description, shown(c.description)]);
  }
  if (c.amendment !== undefined && !d.description.includes(c.amendment)) {
    d.description = `${d.description}\n（更正：${c.amendment}）`;
    changed.push([FIELD_LABELS.amendment, shown(`更正：${c.amendment}`)]);
  }
  if (c.anonymous !== undefined && d.anonymous !== c.anonymous) {
    d.anonymous = c.anonymous;
    if (c.anonymous) d.contact = null;
    changed.push([FIELD_LABELS.anonymous, c.anonymous ? "是" : "否"]);
  }
  return changed;
}

/** Whether a message names a value the summary does not show yet (匿名 on a named draft). */
function wouldChange(state: IntakeState, text: string): boolean {
  const c = readCorrections(text);
  const anonymity = extractAnonymity(text);
  if (anonymity !== undefined && anonymity !== state.draft.anonymous) return true;
  if (!c) return false;
  const d = state.draft;
  return (
    (c.community !== undefined && c.community !== d.community) ||
    (c.district !== undefined && c.district !== d.district) ||
    (c.company !== undefined && c.company !== d.company) ||
    (c.location !== undefined && c.location !== d.location) ||
    c.description !== undefined ||
    c.amendment !== undefined
  );
}

/** The field a correction or a first value filled, for a bare 写错了 that follows. */
function noteAnswered(state: IntakeState, fields: (keyof FieldCorrections)[]): void {
  const field = fields
    .filter((f) => f === "district" || f === "community" || f === "description")
    .at(-1);
  if (field) state.answered = field;
}

/** 写错了，是X: X replaces the field the resident answered last, when it reads as one. */
function bareCorrection(state: IntakeState, text: string): FieldCorrections | undefined {
  const value = readBareCorrection(text);
  if (!value) return undefined;
  // A district named outright is a district, whatever was answered last.
  const named = extractDistrict(value);
  if (named && value.length <= 8) return { district: named };
  switch (state.answered ?? "community") {
    case "district": {
      const district = extractDistrict(value);
      return district ? { district } : undefined;
    }
    case "community": {
      const named = extractCommunity(value, { answering: true });
      return named ? { community: named.name } : undefined;
    }
    case "description":
      return value.length >= 4 ? { description: value } : undefined;
    default:
      return undefined;
  }
}

/** The message answers the question just asked (a bare 卫东区, a name, 匿名, a phone number). */
function answersAsked(state: IntakeState, text: string): boolean {
  switch (state.asking) {
    case "district":
      return extractDistrict(text) !== undefined || NO_DISTRICT_NAME.test(text);
    case "community":
      return (
        (extractCommunity(text, { answering: true }) !== undefined ||
          NO_COMMUNITY_NAME.test(text)) &&
        text.length <= 30
      );
    case "contact":
      return (
        extractContact(text) !== undefined ||
        extractAnonymity(text) !== undefined ||
        DECLINES_CONTACT.test(text) ||
        /不留|不用留|不想留|不要留|不方便留|不用了|不方便/.test(text)
      );
    case "description":
      return !asksSomething(text) && text.replace(/\s/g, "").length >= 4;
    default:
      return false;
  }
}

/** Details that belong to a complaint whatever was asked: where, anonymity, a phone number. */
function givesDetails(text: string): boolean {
  return (
    extractAnonymity(text) !== undefined ||
    extractContact(text) !== undefined ||
    extractDistrict(text) !== undefined ||
    extractCommunity(text)?.strong === true
  );
}

/**
 * The pending step: while a complaint draft waits in this resident's private
 * chat, a message is first read as part of it (an answer, a correction,
 * confirm or cancel). Anything else (a question, help, progress) passes on
 * to be answered in full, and one closing line reminds what is still needed.
 */
export const pendingStep: Handler = async (turn, ctx) => {
  const { msg, conv, text, at } = turn;
  const state = conv.personal.intake;
  if (!state) return undefined;

  // A live danger told while a draft waits: who to call comes first, and the danger joins the draft.
  // Read once: a danger is handled first, the rest of the reading decides further down.
  const intent = readIntent(text, false);
  if (intent.kind === "complaint" && intent.emergency) {
    recordResidentTurn(state, text, at);
    addDescription(state, text);
    state.draft.urgency = "emergency";
    const next = advance(state, at);
    const rest = next.segments.map((seg) => seg.text).join("");
    if (msg.chatType === "group")
      return {
        kind: "emergency",
        citations: [],
        segments: [{ text: EMERGENCY_FIRST }],
        privateText: rest,
      };
    return { ...next, kind: "emergency", segments: [{ text: `${EMERGENCY_FIRST}\n${rest}` }] };
  }

  if (msg.chatType === "group") {
    // Details stay in the private chat; only leaving the complaint is understood here.
    if (msg.action === "cancel" || isCancel(text)) {
      conv.personal.intake = undefined;
      return cancelled(turn);
    }
    // 确认 in the group files what the resident checked in private; the filing reply names nobody.
    // A yes that also changes a field shows the summary again; nothing is filed unseen.
    if (
      state.stage === "confirming" &&
      (msg.action === "confirm" ||
        ((isConfirm(text) || confirmsInSentence(text)) && !wouldChange(state, text)))
    ) {
      return fileAndClose(turn, ctx, state);
    }
    // 接着弄吧 or 等一下: the resident goes on with the draft, or asks it to wait; both keep it.
    if (GO_ON.test(text.trim()) || HOLD.test(text.trim())) {
      const next = advance(state, at);
      return {
        kind: next.kind,
        citations: [],
        segments: [
          {
            text: HOLD.test(text.trim())
              ? "好的，不着急，投诉先给您留着。"
              : "好的，接着在私聊里登记。",
          },
        ],
        privateText: next.segments.map((seg) => seg.text).join(""),
      };
    }
    // Thanks and greetings are answered as such, not taken as more of the story.
    if (isSmalltalk(text)) return undefined;
    // More of the story told in the group (who, how many, which company) joins the draft too.
    const story =
      judgeScope(text).inScope || NARRATIVE.test(text) || extractCompany(text) !== undefined;
    const details =
      !asksSomething(text) &&
      (givesDetails(text) ||
        extractLocation(text) !== undefined ||
        tellsTrouble(text) ||
        story ||
        (isCorrection(text) && readCorrections(text) !== undefined));
    if (!details) return undefined;
    // Where it is, what happened, 匿名: taken from the group too. A phone or a name never is;
    // the rest of a message that carries one (物业公司是X，我电话…) still is.
    const hadPhone = extractContact(text) !== undefined;
    const kept = hadPhone ? withoutContact(text) : text;
    recordResidentTurn(state, kept, at);
    const corrections = kept === "" ? undefined : readCorrections(kept);
    const changed = corrections ? applyCorrections(state, corrections) : [];
    if (kept !== "") applyDetails(state, kept, { private: false, at });
    // A correction (是3单元不是2单元) changed its field; it is not more of what happened.
    const corrected = changed.length > 0 && isCorrection(kept);
    if (!hadPhone && !corrected && (tellsTrouble(kept) || (story && !givesDetails(kept))))
      addDescription(state, kept);
    const next = advance(state, at);
    const noted =
      changed.length > 0
        ? `已更新${changed.map(([label, value]) => `${label}：${value}`).join("；")}。`
        : "收到，已记下。";
    const said = hadPhone
      ? `${changed.length > 0 ? noted : "收到。"}${DETAILS_IN_PRIVATE}`
      : `${noted}其余请看私聊消息。`;
    return {
      kind: next.kind,
      citations: [],
      segments: [{ text: said }],
      privateText: next.segments.map((seg) => seg.text).join(""),
    };
  }

  if (msg.action === "cancel" || isCancel(text)) {
    conv.personal.intake = undefined;
    ctx.log.info({ event: "intake_cancelled", platform: msg.platform });
    return cancelled(turn);
  }
  // After the call to 119: how it ended (or that they are calling) is acknowledged, not read
  // as the answer to the question the draft waits on; it still belongs to the story.
  if (
    state.draft.urgency === "emergency" &&
    AFTER_DANGER.test(text) &&
    !givesDetails(text) &&
    !asksSomething(text) &&
    // Safe now, and asking in so many words to complain: the complaint goes on.
    !complaintSignal(text).explicit
  ) {
    recordResidentTurn(state, text, at);
    addDescription(state, text);
    if (turn.english) {
      // Said in English, answered in English, with no note about Chinese.
      turn.english = false;
      return plain("smalltalk", AFTER_DANGER_EN);
    }
    const calling = CALLING.test(text);
    return plain(
      "smalltalk",
      `${calling ? "好的，先顾好安全。" : "好的，平安就好。"}${pendingNote(state)}`,
    );
  }
  // 不用登记，这种情况找谁: the draft goes, and the question is answered about what was told.
  if (questionAfterLeaving(text)) {
    conv.personal.intake = undefined;
    ctx.log.info({ event: "intake_cancelled", platform: msg.platform });
    turn.about = state.draft.description;
    return undefined;
  }
  const attachment = turn.attachment;
  if (attachment && text === "") {
    state.draft.evidence.push({
      kind: attachment.kind,
      ...(attachment.ref ? { ref: attachment.ref } : {}),
      at,
    });
    const noun = attachment.kind === "image" ? "图片" : "附件";
    return advance(state, at, `已收到${noun}，会作为证据附在投诉里。`);
  }
  const named = readCorrections(text);
  // 写错了，是翠湖湾: a bare value replaces the field answered last before it is kept as a note.
  const onlyNote = named !== undefined && Object.keys(named).every((k) => k === "amendment");
  const read = onlyNote ? (bareCorrection(state, text) ?? named) : named;
  if (
    state.stage === "confirming" &&
    (msg.action === "confirm" ||
      isConfirm(text) ||
      (read === undefined && confirmsInSentence(text)))
  ) {
    // 别给我回电话了，直接报吧: the contact line is settled by the same message.
    if (DECLINES_CONTACT.test(text)) state.contactDeclined = true;
    return fileAndClose(turn, ctx, state);
  }
  if (msg.action === "confirm") return advance(state, at);
  // 确认 while only the optional contact is missing: they want to submit without leaving one.
  if (isConfirm(text) && state.asking === "contact") {
    state.contactDeclined = true;
    return advance(state, at);
  }

  if (
    state.stage === "confirming" &&
    state.draft.contact === null &&
    !state.draft.anonymous &&
    // 不想留名 asks not to be named: that is 匿名, read below, not only no phone.
    extractAnonymity(text) === undefined &&
    DECLINES_CONTACT.test(text)
  ) {
    recordResidentTurn(state, text, at);
    state.contactDeclined = true;
    return advance(state, at);
  }

  // Asked what happened, 绿地被改成了停车位 tells it: its 改成 corrects nothing yet.
  const tellsAsked = onlyNote && state.asking === "description";
  // A question that names a field (小区绿地能改车位吗) asks; it corrects nothing.
  const corrections =
    asksSomething(text) || tellsAsked ? undefined : (read ?? bareCorrection(state, text));
  // 匿名 alone answers the contact question; a correction names some other field,
  // and either says so (写错了、不是、改成) or changes a value already there.
  const fields = Object.keys(corrections ?? {}) as (keyof FieldCorrections)[];
  const correcting =
    fields.some((k) => k !== "anonymous") &&
    (CORRECTION_WORDS.test(text) ||
      fields.every((k) => k === "anonymous" || k === "amendment" || state.draft[k] !== null));
  if (corrections && correcting) {
    recordResidentTurn(state, text, at);
    noteAnswered(state, fields);
    const changed = applyCorrections(state, corrections);
    // A new estate name that also brings the district still missing: both are kept.
    if (state.draft.district === null) {
      const district = extractDistrict(text);
      if (district) {
        state.draft.district = district;
        changed.push([FIELD_LABELS.district, district]);
      }
    }
    const lead =
      changed.length > 0
        ? `已更新${changed.map(([label, value]) => `${label}：${value}`).join("；")}。`
        : "您说的和投诉单上的一样，没有改动。";
    return advance(state, at, lead);
  }
  if (corrections && fields.some((k) => k !== "anonymous")) {
    // First values for fields still empty (物业公司是X, 石龙 某街道 某小区): details, not updates.
    recordResidentTurn(state, text, at);
    const override = state.asking === "district" || state.asking === "community";
    const confirming = state.stage === "confirming";
    applyDetails(state, text, { private: true, at, override });
    const changed = applyCorrections(state, corrections);
    noteAnswered(state, fields);
    // On the summary a new value is a change the resident should see named.
    const lead =
      confirming && changed.length > 0
        ? `已更新${changed.map(([label, value]) => `${label}：${value}`).join("；")}。`
        : "";
    return advance(state, at, lead);
  }

  const elsewhere =
    intent.kind === "help" ||
    intent.kind === "progress" ||
    intent.kind === "full_text" ||
    intent.kind === "more" ||
    isSmalltalk(text);
  let question = asksSomething(text) && !extractAnonymity(text);
  // The place asked for, with a short question that names no topic of its own.
  if (question && !elsewhere && answersAsked(state, text)) {
    const place = extractCommunity(text)?.name;
    const rest = [place, ...findDistricts(text).map((m) => m.alias)]
      .filter((n): n is string => n !== undefined)
      .reduce((t, n) => t.split(n).join(""), text);
    if (!judgeScope(rest).inScope) question = false;
  }
  if (!elsewhere && !question && (answersAsked(state, text) || givesDetails(text))) {
    recordResidentTurn(state, text, at);
    const override = state.asking === "district" || state.asking === "community";
    if (state.asking && answersAsked(state, text)) state.answered = state.asking;
    const changed = applyDetails(state, text, { private: true, at, override });
    if (
      state.asking === "community" &&
      !changed.includes("community") &&
      !NO_COMMUNITY_NAME.test(text)
    ) {
      // The answer to 哪个小区 is the name, suffix or not.
      const named = extractCommunity(text, { answering: true });
      if (named) {
        state.draft.community = named.name;
        state.communityStrong = true;
        if (named.district && state.draft.district === null) state.draft.district = named.district;
      }
    }
    // Where and who are details; only what happened joins the description.
    if (state.asking === "description" || tellsTrouble(text)) addDescription(state, text);
    return advance(state, at, state.stage === "confirming" && changed.length > 0 ? "已更新。" : "");
  }
  // While a complaint is being told, any trouble told (not asked about) is more of the story,
  // and so is what happened next told in private (已经第三回了, 铲完划成车位了).
  const continues =
    msg.chatType === "private" &&
    intent.kind !== "leave" &&
    intent.kind !== "vent" &&
    !clearlyOffTopic(text) &&
    (judgeScope(text).inScope || NARRATIVE.test(text) || SUPPLEMENT.test(text));
  if (!elsewhere && !question && (tellsTrouble(text) || intent.kind === "complaint" || continues)) {
    // More of the same story: it joins the description.
    recordResidentTurn(state, text, at);
    applyDetails(state, text, { private: true, at });
    addDescription(state, text);
    const lead =
      state.stage === "confirming"
        ? `已补充到情况里（类别：${CATEGORY_LABELS[state.draft.category ?? "other"]}）。`
        : "";
    return advance(state, at, lead);
  }
  // Not part of the complaint: answered in full below, with one closing line.
  turn.pendingNote = pendingNote(state);
  return undefined;
};
