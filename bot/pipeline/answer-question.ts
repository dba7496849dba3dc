import { englishSearchTerms } from "../../knowledge/english-glossary.ts";
import type { SearchHit, SearchResult } from "../../knowledge/retriever.ts";
import { toSimplified } from "../../knowledge/text-normalize.ts";
import { extractiveParts } from "../answer-extractive.ts";
import { composeModelAnswer } from "../answer-model.ts";
import { type AnswerParts, fitAnswer, MORE_HINT, SHORT_DISCLAIMER } from "../answer-parts.ts";
import { ENGLISH_NOT_FOUND, ENGLISH_NOTE, englishFirstLine } from "../english.ts";
import { INJURY_FIRST, missingArticleText, NO_SOURCE, SAFETY_FIRST } from "../fixed-replies.ts";
import { liveDanger } from "../intake/extract.ts";
import { OFFER_LINE } from "../intake/flow.ts";
import { companyDutyUnits, leadWith, penaltiesFirst } from "../penalties.ts";
import { placeOutside } from "../places.ts";
import { findGuide, formatGuide } from "../procedures/guides.ts";
import { computeVote, formatVote, parseVoteQuestion } from "../procedures/vote.ts";
import type { Segment } from "../reply-text.ts";
import { clearlyOffTopic, ENGLISH_BEYOND, judgeScope } from "../scope.ts";
import { offTopicProbability } from "../scope-model.ts";
import { asksSomething } from "./intent.ts";
import { type Draft, type EngineContext, plain, type Turn } from "./turn.ts";

/** Asking how to do something, step by step (not 怎么办, which asks what the rule is). */
const PROCEDURE_ASK =
  /流程|步骤|程序|手续|第一步|怎么(成立|选|选举|换|申请|操作|开会|召开|组织|走)|如何(成立|选|选举|换|申请|召开|组织|使用)|咋(成立|换|申请|选|开会)|要走哪些|需要哪些(手续|步骤|材料)/;
const FOLLOW_UP = /^(那|那么|那要是|还有|另外|如果|要是|假如|假设)|呢[？?]?$/;
const FOLLOW_UP_MARKS = /^(那么|那要是|那|还有|另外|如果|要是|假如|假设)|[呢吗啊呀？?。！!\s]+$/g;
const NATIONAL = "全国";
/** Quote budgets tried from the widest down, so a private chat's room is used and a group's is not exceeded. */
const QUOTE_SCALES = [2, 1.5, 1, 0.6];
/** Longer questions say what they are about; only short ones are read with the last one. */
const CONTEXT_MAX_CHARS = 30;
/** What a question asks about a matter without naming one: who pays, how much the fine is, where to go. */
const ASPECT_WORDS =
  /罚款|罚多少|罚|多少钱|谁赔|赔偿|赔钱|赔|报警|警察|派出所|起诉|打官司|法院|告他|告|反映|投诉|举报|找谁|去哪儿?|哪个部门|谁管|管不管|管|责任|负责|同意|多少人|多久|期限|时间|手续|流程|材料|证据|有用|合法|违法|算不算|能不能|可以|行不行|中不中|怎么办|咋办|咋整|(咋|怎么|怎)样|后果|时候|开始|结束|截止|几步|步骤|阶段|依据|规定|条例|法律/g;
const FUNCTION_CHARS =
  /那么|那|要是|如果|呢|吗|嘛|不|没|的|了|啊|呀|他们|他|她|它|这|个|事|些|还|也|都|就|能|会|要|得|该|是|有|给|把|让|去|来|在|和|跟|还是|我|俺|咱|你|恁|咋|怎么|啥|什么|谁|哪|多少|几|用|[^\p{Script=Han}]/gu;
const ASPECT_MAX_CHARS = 12;
/** At most this much of a question left once its asking words are gone names no subject of its own. */
const SUBJECTLESS_MAX_CHARS = 3;
/** How many units of the topic and of the question read together are compared. */
const ASPECT_POOL = 12;

/** Where to complain is answered by the bodies that oversee property, whatever the matter. */
const WHERE_TO_GO =
  /找谁|找哪|哪个部门|哪个单位|(去|上|到|在)哪(里|儿)?[^，。]{0,3}(反映|投诉|举报|告|说理|管)/;

/** Asking which desk takes a complaint, in words that retrieve the oversight articles on their own. */
const ASKS_FOR_A_DESK =
  /(去|上|到|在)哪(里|儿)?[^，。]{0,3}(反映|投诉|举报|说理)|哪个部门|哪个单位/;

function onlyAspect(text: string): boolean {
  if (text.length > ASPECT_MAX_CHARS || WHERE_TO_GO.test(text)) return false;
  return text.replace(ASPECT_WORDS, "").replace(FUNCTION_CHARS, "").length <= 1;
}

/** 问个别的: the resident says the next question is about something else. */
const TOPIC_SWITCH =
  /(问|说|聊)(个|点|些)?(别的|其他的?|其它的?)|换个(话题|问题)|题外话|另外一个问题|(跟|和|与)(这|这个|这事|此)(事)?(没关系|无关)/;
/** Whether what was just said also holds here (一样不, 也这样吗, 也适用吗). */
const SAME_AS_BEFORE =
  /一样(不|吗|嘛|么|没|呢)|也(是)?(这样|一样|适用|算|照这个|按这个)|同样(适用|的规定)|有(啥|什么)(不一样|区别|不同)|也这么(干|做|弄|搞|收|办)|(那边|那儿|那里|他们那)也(不让|不行|不能|不准|可以|能|行|让)/;
/** 这灯, 那事, 这个: a thing named by pointing at what was said before. */
const POINTS_BACK = /(这|那)(?![样么里边儿时会种般])/;
/** 这种情况, 它, 他们, a leading 那 or a closing 呢: words that point at the last question's matter. */
const POINTS_AT_LAST =
  /(这|那)(种|样|么|个|些|事|情况|期间|时候|阵子|段时间)|它|他|她|^那|呢[？?]?$/;
const ENGLISH_FOLLOW_UP_MAX_CHARS = 120;
const ENGLISH_ASKS =
  /\?|^\s*(?:and |so |but )?(?:what|who|where|how|can|could|do|does|is|are|should|may|will|would)\b/i;
const ENGLISH_POINTS_BACK = /\b(?:they|them|it|this|that|those|instead|then|anyway|else)\b/i;
/**
 * Words that ask or hedge rather than name a thing (不会, 有用, 该找): they tell how a question is
 * asked, not what it is about.
 */
const ASKING_TOKEN =
  /^(不|会|能|该|找|去|要|有|用|没|可以|不会|不能|有用|有用吗|怎么|咋|管|行|得|算|呢|吗)+$/;
/** How many things a question may name and still only continue the last one (报警, 有用 after noise). */
const CONTINUING_THINGS = 2;

/**
 * A question that names several things of its own (地震, 小区, 疏散) or words the thesaurus knows as
 * a topic (被狗咬) is about them, even when the sources say little about them: its weak ranking does
 * not make it a follow-up.
 */
function namesItsOwnThings(analysis: { tokens: string[]; expansions: string[] }): boolean {
  const things = [...new Set(analysis.tokens)].filter(
    (t, _, all) =>
      t.length >= 2 && !ASKING_TOKEN.test(t) && !all.some((o) => o !== t && o.includes(t)),
  );
  return analysis.expansions.length > 0 || things.length > CONTINUING_THINGS;
}

/** A question this long with no topic of its own still leans on the conversation's last one. */
const CARRIES_ON_MAX_CHARS = 40;
/** How sure the scope model may be that such a question is about something else, at most. */
const CARRIES_ON_OFF_TOPIC = 0.9;
/**
 * How sure it must be before even a short follow-up is taken as another subject. Near certainty:
 * trained on messages read alone, it places "who did it" or "what did it cost" among lost wallets
 * and shopping, while in a conversation they are the last question's next step.
 */
const OFF_TOPIC_SURE = 0.9999;
/** A question whose own best unit ranks this high read with the last one has a topic of its own. */
const CONTINUES_WITHIN = 5;
/** A question whose own best unit scores this well has a topic of its own, however short. */
const OWN_TOPIC_BM25 = 20;
/** Only a question this short can lean on the last one without saying so. */
const CONTINUES_MAX_CHARS = 16;
/** How much of a running topic a continued question keeps (the latest words). */
const CONTEXT_KEPT_CHARS = 80;
/** The most of a conversation's questions remembered to read the next one by. */
const LAST_QUESTION_MAX_CHARS = 160;
/** How much of a conversation that stays on one topic is kept to read the next short question by. */
const TOPIC_KEPT_CHARS = 40;
/** A follow-up whose own best unit scores this well has words of its own worth fusing in. */
const OWN_WORDS_BM25 = 20;
/** Someone trapped, a fire, smoke, gas or a live wire named in a question. */
const DANGER_TOPIC =
  /困(在|住|人)|被困|关在电梯|(关|困|卡)电梯(里|里面|里头)|(栏杆|护栏)外|(?<!打不|点不)着火|起火|失火|火灾|(?<!(烧烤|烤串|烤炉|油烟)[^。]{0,10})冒烟|浓烟|黑烟|冒(黑|白|青|浓)烟|浓的烟|烟味|焦味|糊味|烧焦|晕倒|昏倒|昏迷|不省人事|溺水|坠楼|掉进(井|电梯井|窨井|化粪池|下水道)|(燃气|煤气|天然气|液化气)[^。？?]{0,16}(味|泄漏|泄露|漏|中毒|碰破|破了)|(窗户|窗台|阳台)外(头|面|边)|翻(到|出|过)(窗|阳台|栏杆|护栏)|漏气|一氧化碳|触电|漏电|电线[^，。]{0,4}(冒火|打火|着了|裸露)|跳楼|轻生|爆炸|持刀|拿着?刀|砍人|沼气|烧炭|电梯[^，。]{0,4}(坠|往下掉|下坠)|(锁|关)在车里|(楼顶|天台|窗台|阳台)[^，。]{0,6}(护栏外|栏杆外|边上|边缘|边沿|要跳)|(电线|电缆|高压线)[^。]{0,10}(断|掉|落)[^。]{0,6}(地上|地面|水里)|\b(smoke|fire|gas leak|smell of gas|trapped|stuck in the (lift|elevator))\b/i;
/** Someone hurt (砸伤了人, 被狗咬了, 被车撞了), even asked as a question: the ambulance comes first. */
const INJURY =
  /砸伤|砸(到|中|着)了?(人|我|他|她|孩子|小孩|老人|头)|(?<!没|未|不)受伤|流血|出血|咬伤|撞伤|摔伤|打伤|烫伤|被[^，。]{0,4}(车|电动车)撞|被[^，。]{0,3}(狗|猫)咬/;
/** Asking what happens to whoever breaks the rule just quoted, or who makes them keep it. */
const CONSEQUENCE_ASK =
  /罚|处罚|后果|会(咋样|怎么样|怎样)|担(什么|啥)?责|法律责任|追究|拒不|(就是|还是|硬是|偏|一直|老是|要是|如果)?不(贴|公示|公开|改|交|退|撤|走|给|管|听|执行|理)(出来|出去|上|了)?(呢|咋办|怎么办|咋整)?[？?]?$|有人管|谁(来)?管|(上|去|到)哪(儿|里)?(告|投诉|举报|反映)|告他|找谁/;
const CONSEQUENCE_MAX_CHARS = 20;
/** Whether the property company bears a duty here, asked of a matter already told. */
const COMPANY_DUTY_ASK =
  /物业[^，。？?]{0,8}(有没有|是不是|有|没有|该不该|要不要|应不应该|应该|负不负|担不担)[^，。？?]{0,4}(责任|赔|负责|管)|物业(的)?责任|物业[^，。？?]{0,4}(管不管|该管|不该管|能不能管|能管)/;
/** How many units read with the last question are searched for the company's duty. */
const DUTY_POOL = 30;
/** Reciprocal-rank constant: ranks near the top count, the tail hardly at all. */
const FUSION_K = 10;

/**
 * Two rankings of the same units fused by reciprocal rank, the question's own counted
 * first on ties. BM25 scores of different queries are not comparable, so each hit keeps
 * its score as a share of its own list's best (what selectHits compares).
 */
function fuseRankings(own: SearchHit[], together: SearchHit[]): SearchHit[] {
  const fused = new Map<string, { hit: SearchHit; score: number }>();
  for (const [list, weight] of [
    [own, 1.01],
    [together, 1],
  ] as const) {
    const best = list[0]?.bm25 || 1;
    list.forEach((hit, rank) => {
      const share = { ...hit, bm25: (10 * hit.bm25) / best };
      const prev = fused.get(hit.key);
      const score = (prev?.score ?? 0) + weight / (FUSION_K + rank + 1);
      const kept = prev && prev.hit.bm25 >= share.bm25 ? prev.hit : share;
      fused.set(hit.key, { hit: kept, score });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score).map((f) => f.hit);
}

const textOf = (segments: Segment[]) => segments.map((s) => s.text).join("");

/**
 * A reply longer than the room it has keeps its first whole lines (a step,
 * a paragraph) and leaves the rest to 「详细」; the disclaimer always stays.
 */
function clip(
  segments: Segment[],
  maxChars: number,
  hints: boolean,
): { segments: Segment[]; fuller?: Segment[] } {
  const tail: Segment[] = textOf(segments).includes("不构成法律意见")
    ? []
    : [{ text: `\n${SHORT_DISCLAIMER}` }];
  const whole = [...segments, ...tail];
  if (textOf(whole).length <= maxChars) return { segments: whole };
  const hint = hints ? MORE_HINT : "";
  const room = maxChars - hint.length - textOf(tail).length - 1;
  const out: Segment[] = [];
  let used = 0;
  outer: for (const s of segments) {
    for (const line of s.text.split(/(?<=\n)/)) {
      if (used + line.length > room) break outer;
      out.push({ ...s, text: line });
      used += line.length;
    }
  }
  // Not even one whole line fits: the first one, cut.
  if (out.length === 0 && segments[0])
    out.push({ ...segments[0], text: `${segments[0].text.slice(0, Math.max(0, room - 1))}…` });
  out.push(...tail, ...(hint ? [{ text: `\n${hint}` }] : []));
  return { segments: out, fuller: whole };
}

function remember(
  turn: Turn,
  query: string,
  citations: string[],
  fuller?: Segment[],
  kind: "answer" | "procedure" = "answer",
): void {
  const chat = turn.conv.chat;
  // A long run of follow-ups must not grow the remembered question without end (every search reads it).
  chat.lastQuestion = query.slice(-LAST_QUESTION_MAX_CHARS);
  chat.lastCitations = citations;
  if (fuller) {
    chat.fuller = textOf(fuller);
    chat.fullerKind = kind;
  } else {
    delete chat.fuller;
    delete chat.fullerKind;
  }
}

/**
 * Answers a question from the sources: a vote count, a step-by-step guide,
 * or retrieval with a lead-with-the-answer reply (a reviewed card when one
 * fits, else the extractive answer; a model's answer when one is configured
 * and passes its checks). Says so plainly when the sources do not cover it.
 */
export async function answerQuestion(
  turn: Turn,
  ctx: EngineContext,
  options: { aboutProblem: boolean; reserve?: number },
): Promise<Draft> {
  const { kb } = ctx;
  const inGroup = turn.msg.chatType === "group";
  // One closing line at most: while a draft waits, its reminder is that line, not an offer.
  const offer =
    options.aboutProblem &&
    ctx.desk !== undefined &&
    !ctx.oneShot &&
    turn.conv.personal.intake === undefined;
  // Asked about someone trapped, a fire or gas, even as a question: the numbers to ring come first.
  const danger = DANGER_TOPIC.test(turn.text) || liveDanger(turn.text) !== undefined;
  // An injury leads with the ambulance, but unlike a danger it does not make another body's matter ours.
  const safety = danger ? SAFETY_FIRST : INJURY.test(turn.text) ? INJURY_FIRST : undefined;
  const reserve =
    (options.reserve ?? 0) +
    (safety ? safety.length + 1 : 0) +
    (turn.pendingNote?.length ?? 0) +
    (offer ? OFFER_LINE.length + 1 : 0) +
    // The English note goes before the answer and counts against the same limit.
    (turn.english
      ? ENGLISH_NOTE.length + 1 + (safety ? (englishFirstLine(safety)?.length ?? 0) + 1 : 0)
      : 0);
  const maxChars = (inGroup ? ctx.groupMaxChars : ctx.privateMaxChars) - reserve;

  let text = turn.text;
  const chat = turn.conv.chat;
  if (turn.english) {
    const terms = englishSearchTerms(turn.msg.text);
    // What are they allowed to do instead? names nothing, and is about the last question.
    const leansBack =
      chat.lastQuestion !== undefined &&
      turn.msg.text.length <= ENGLISH_FOLLOW_UP_MAX_CHARS &&
      ENGLISH_ASKS.test(turn.msg.text) &&
      ENGLISH_POINTS_BACK.test(turn.msg.text);
    if ((terms === "" && !leansBack) || ENGLISH_BEYOND.test(turn.msg.text))
      return plain("out_of_scope", ENGLISH_NOT_FOUND);
    text = terms === "" ? (chat.lastQuestion ?? "") : terms;
  }

  const vote = parseVoteQuestion(text);
  if (vote) {
    const key = kb.unit("civil-code-2020:278") ? ["civil-code-2020:278"] : [];
    const clipped = clip([{ text: formatVote(computeVote(vote)) }], maxChars, !ctx.oneShot);
    remember(turn, text, key, clipped.fuller, "procedure");
    return { kind: "procedure", citations: key, segments: clipped.segments };
  }
  const guide = PROCEDURE_ASK.test(text) ? findGuide(text) : undefined;
  if (guide) {
    const keys = [...new Set(guide.steps.flatMap((s) => s.cites))].filter((k) => kb.unit(k));
    const clipped = clip(
      [{ text: formatGuide(guide, (k) => kb.citation(k)) }],
      maxChars,
      !ctx.oneShot,
    );
    remember(turn, text, keys, clipped.fuller, "procedure");
    return { kind: "procedure", citations: keys, segments: clipped.segments };
  }

  // A short follow-up (那业委会呢？) is read together with the question before it.
  // Plainly about something else (a joke, a ticket price) never leans on the last question.
  const offTopic = offTopicProbability(text);
  // 那郑州呢 也这样吗: asking whether the same holds elsewhere leans back, whatever place it names.
  const sameAsBefore = text.length <= CONTEXT_MAX_CHARS && SAME_AS_BEFORE.test(text);
  // 那车位租金归谁 is a question of its own behind the 那: only a few words of topic lean on the last one.
  const ownQuestion = text.replace(FOLLOW_UP_MARKS, "");
  const ownTopic = judgeScope(ownQuestion).inScope;
  const asks = asksSomething(text);
  // 那业主要出个啥文件 / 这样的话得提前几天通知他们: a question that points back at what was said
  // names no topic of its own; the scope model, reading its few words alone, cannot tell.
  const refersBack =
    text.length <= CARRIES_ON_MAX_CHARS && POINTS_AT_LAST.test(text) && asks && !ownTopic;
  // 劝不动的话找谁 / 偷偷弄了会怎样: once the asking words are gone, hardly a word of a subject is
  // left. The scope model, trained on what residents ask about, has nothing to go on but how
  // they ask, and that is the same for every subject.
  const ownWords = text.replace(ASPECT_WORDS, "").replace(FUNCTION_CHARS, "");
  const namesNoSubject = asks && ownWords.length <= SUBJECTLESS_MAX_CHARS;
  const elsewhereTopic =
    TOPIC_SWITCH.test(text) ||
    clearlyOffTopic(text) ||
    ((offTopic ?? 0) >= OFF_TOPIC_SURE && !sameAsBefore && !refersBack && !namesNoSubject);
  // A short question that names no topic of its own (and what about the term?) continues the last one.
  const bare = text.length <= 16 && !judgeScope(text).inScope && !clearlyOffTopic(text);
  const leans = FOLLOW_UP.test(text) && (ownQuestion.length <= 6 || !ownTopic);
  // 要是业主都反对 新定的价格还用认吗: a longer question behind 要是/那 that names no topic of
  // its own leans on the last one too.
  const leansLong = FOLLOW_UP.test(text) && text.length <= CONTEXT_MAX_CHARS && !ownTopic;
  // Who organises it, asked right after a question about adding a lift: in a running conversation a question
  // with no topic words of its own is about the last one, unless it is plainly about something else.
  // The scope model must not find it at home elsewhere; words it has never read (雨季) do not.
  const carriesOn =
    text.length <= CARRIES_ON_MAX_CHARS &&
    asks &&
    !ownTopic &&
    (offTopic ?? 0) < CARRIES_ON_OFF_TOPIC;
  const aspectOnly = !turn.english && onlyAspect(text);
  const leansBack =
    (text.length <= 16 && (leans || bare)) || leansLong || carriesOn || refersBack || sameAsBefore;
  const followUp = chat.lastQuestion !== undefined && !elsewhereTopic && (leansBack || aspectOnly);
  // Only a question the other readings would not carry on is ordered by the earlier topic.
  const byTopic = followUp && aspectOnly && !leansBack;
  // While a complaint is being told, 这个费用谁出 is about that complaint.
  const draft = turn.conv.personal.intake?.draft.description;
  // 这灯该谁修 points at the thing the draft is about.
  // 那…呢 leans on the last question instead.
  const pointsAtDraft =
    text.length <= CONTEXT_MAX_CHARS &&
    POINTS_BACK.test(text) &&
    !FOLLOW_UP.test(text) &&
    !elsewhereTopic;
  const aboutDraft = !followUp && (bare || pointsAtDraft) && draft !== undefined && draft !== "";
  // What the draft is about is said at its start; a long story told since adds little to the search.
  const story = turn.about ?? (aboutDraft ? draft : undefined);
  let query = story
    ? `${story.slice(0, CONTEXT_KEPT_CHARS)} ${text}`
    : followUp
      ? `${chat.lastQuestion} ${text}`
      : text;

  // Another province or city: say what the sources are, then answer from the national rules only.
  const jurisdictions = [...new Set(kb.documents.map((d) => d.meta.jurisdiction))];
  const elsewhere = placeOutside(turn.msg.text, jurisdictions);
  const held = jurisdictions.filter((j) => j !== NATIONAL).join("、");
  const caveat = elsewhere
    ? `我收录的是${held ? `${held}的地方规定和` : ""}国家的法律法规，没有${elsewhere}的地方规定。下面按国家层面的规定回答，${elsewhere}如有地方规定，以当地为准。`
    : undefined;

  const contextDoc = chat.lastCitations[0] ? kb.unit(chat.lastCitations[0])?.docId : undefined;
  let result: SearchResult = await kb.retriever.search(query, {
    limit: elsewhere ? 40 : byTopic ? ASPECT_POOL : 8,
    ...(contextDoc && !elsewhere ? { contextDoc } : {}),
  });
  // 开会的通知提前几天贴 after a question about calling a meeting: read with the last question, the
  // longer earlier words outweigh the new ones; the follow-up's own ranking is fused in so what it
  // asks (a notice period, not the contract's end) is not lost.
  if (followUp && !byTopic && !story && ownWords.length >= 2) {
    const own = await kb.retriever.search(text, { limit: 8 });
    if ((own.hits[0]?.bm25 ?? 0) >= OWN_WORDS_BM25)
      // The pair read together leads on ties: the resident did lean on the last question.
      result = { ...result, hits: fuseRankings(result.hits, own.hits).slice(0, 8) };
  }
  // 罚多少钱 after e-bikes charged in the stairwell: the fine for that, not fines in general. The
  // units of the earlier topic come first; the aspect orders them.
  if (byTopic && chat.lastQuestion) {
    const topic = await kb.retriever.search(chat.lastQuestion, { limit: ASPECT_POOL });
    const inTopic = new Set(topic.hits.map((h) => h.key));
    const hits = [
      ...result.hits.filter((h) => inTopic.has(h.key)),
      ...result.hits.filter((h) => !inTopic.has(h.key)),
    ];
    result = { ...result, hits: hits.slice(0, 8) };
  }
  // A short question in a running conversation (那这事归谁？) may lean on the one before it
  // without saying so: its own ranking and the ranking read together with the last question are
  // fused, so a new topic keeps its own units and a bare follow-up gets the earlier topic's.
  const leansOnLast =
    !followUp &&
    !aboutDraft &&
    !turn.about &&
    !elsewhere &&
    !turn.english &&
    chat.lastQuestion !== undefined &&
    text.length <= CONTEXT_MAX_CHARS &&
    result.references.found.length === 0;
  let cardQuery = query;
  let topicQuery: string | undefined;
  if (leansOnLast) {
    const withLast = `${chat.lastQuestion} ${text}`;
    const together = await kb.retriever.search(withLast, {
      limit: 8,
      ...(contextDoc ? { contextDoc } : {}),
    });
    // When the question's own best unit is nowhere near the top read together with the last
    // one, the earlier topic carries the pair (那报警有用吗 after a neighbour's noise): the
    // question continues it, and the next short one continues it too.
    const ownBest = result.hits[0]?.key;
    const continues =
      (result.hits[0]?.bm25 ?? 0) < OWN_TOPIC_BM25 &&
      text.length <= CONTINUES_MAX_CHARS &&
      // 那物业想要钱该咋弄 / 这种情况 point back, however many things they name.
      (POINTS_AT_LAST.test(text) || !namesItsOwnThings(result.analysis)) &&
      judgeScope(text).inScope &&
      !together.hits.slice(0, CONTINUES_WITHIN).some((h) => h.key === ownBest);
    if (continues) {
      // The units come from the topic; what is quoted of them, and any card, from the new question.
      query = withLast.slice(-CONTEXT_KEPT_CHARS);
      cardQuery = text;
      result = { ...together, analysis: result.analysis };
    } else {
      const fused = fuseRankings(result.hits, together.hits).slice(0, 8);
      result = { ...result, hits: fused };
      // Still on the earlier topic (劝了也没用 after e-bikes in the stairwell): the next
      // short question is read against that topic, not against these few words alone.
      if (fused.slice(0, 3).some((h) => chat.lastCitations.includes(h.key)))
        topicQuery = withLast.slice(-TOPIC_KEPT_CHARS);
    }
  }
  // 他就是不贴呢 / 罚不罚 / 上哪告 right after a rule: the article that punishes breaking that rule
  // answers it, and names who enforces it.
  if (
    (followUp || leansOnLast) &&
    !elsewhere &&
    text.length <= CONSEQUENCE_MAX_CHARS &&
    CONSEQUENCE_ASK.test(text)
  ) {
    result = penaltiesFirst(kb, result, chat.lastCitations.slice(0, 3));
    // 去哪儿反映 asks where to go as much as who punishes: the bodies that oversee property come
    // right after the article that punishes this breach.
    const first = result.hits[0]?.key;
    if (first && ASKS_FOR_A_DESK.test(text)) {
      const own = await kb.retriever.search(text, { limit: 8 });
      const where = own.hits.map((h) => h.key).filter((k) => k !== first);
      result = leadWith(kb, result, [first, ...where.slice(0, 2)]);
    }
  }
  // Whether the company is to blame too, after a rule or a mishap: its own duty in that matter answers it.
  if ((followUp || leansOnLast) && !elsewhere && COMPANY_DUTY_ASK.test(text) && chat.lastQuestion) {
    const duty = companyDutyUnits(kb);
    const pool = await kb.retriever.search(`${chat.lastQuestion} ${text}`, { limit: DUTY_POOL });
    const owed = pool.hits.map((h) => h.key).filter((k) => duty.has(k));
    if (owed.length > 0) result = leadWith(kb, result, owed.slice(0, 2));
  }
  if (elsewhere) {
    const national = new Set(
      kb.documents.filter((d) => d.meta.jurisdiction === NATIONAL).map((d) => d.meta.id),
    );
    result = { ...result, hits: result.hits.filter((h) => national.has(h.unit.docId)).slice(0, 8) };
  }

  if (result.references.found.length === 0 && result.references.missing.length > 0) {
    const m = result.references.missing[0];
    // Not in the sources: said plainly, like any question the sources do not cover.
    return plain("out_of_scope", m ? missingArticleText(kb, m) : NO_SOURCE);
  }
  if (
    !followUp &&
    !aboutDraft &&
    !turn.about &&
    !turn.english &&
    result.references.found.length === 0
  ) {
    const scope = judgeScope(toSimplified(query));
    // The rules turn away what they do not recognise; a model may know better.
    const intent = scope.inScope ? undefined : await ctx.modelIntent(query);
    // Danger to someone is never turned away: the numbers to ring come first, whatever the topic.
    if (!scope.inScope && !danger && intent !== "question" && intent !== "complaint")
      return plain("out_of_scope", scope.redirect);
  }
  if (result.hits.length === 0) return plain("out_of_scope", NO_SOURCE);

  let reply: { segments: Segment[]; citations: string[]; fuller?: Segment[] } | undefined;
  if (ctx.model) {
    const composed = await composeModelAnswer({
      kb,
      model: ctx.model,
      prompts: ctx.prompts,
      result,
      // The prompt asks for an English answer to an English question.
      question: turn.english ? turn.msg.text : query,
      log: ctx.log,
      timeoutMs: ctx.modelTimeoutMs,
    });
    if (composed) {
      // The model answered in English itself: no note that the answer follows in Chinese.
      if (turn.english) turn.english = false;
      const lead: Segment[] = caveat ? [{ text: `${caveat}\n` }] : [];
      reply = {
        ...clip([...lead, ...composed.segments], maxChars, !ctx.oneShot),
        citations: composed.citations,
      };
    }
  }
  if (!reply) {
    // Quote as much of each unit as the chat has room for: the widest version that fits whole.
    const partsAt = (scale: number): AnswerParts | undefined =>
      // A card speaks for the loaded jurisdiction; elsewhere only the national quotes answer.
      // An article asked for by number is quoted itself; a card speaks to topics, not to one article.
      (elsewhere || result.references.found.length > 0
        ? undefined
        : ctx.cardParts?.(cardQuery, result, scale)) ?? extractiveParts(kb, result, scale);
    for (const scale of QUOTE_SCALES) {
      const parts = partsAt(scale);
      if (!parts) return plain("out_of_scope", NO_SOURCE);
      reply = fitAnswer(kb, { ...parts, ...(caveat ? { caveat } : {}) }, maxChars, !ctx.oneShot);
      if (!reply.fuller) break;
    }
    if (!reply) return plain("out_of_scope", NO_SOURCE);
  }
  remember(turn, topicQuery ?? query, reply.citations, reply.fuller);
  const answered = safety ? [{ text: `${safety}\n` }, ...reply.segments] : reply.segments;
  const segments = offer ? [...answered, { text: `\n${OFFER_LINE}` }] : answered;
  if (offer) chat.offer = { at: turn.at };
  return { kind: "answer", citations: reply.citations, segments };
}
