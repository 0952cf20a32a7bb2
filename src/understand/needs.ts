/**
 * The other needs of one message. "I need to cancel our filing in Hebei and we lost the record
 * number too" asks two things; the main ask is the one the rules' precedence puts first (a blocker
 * met on the way — a forgotten password or a lost record number — before what it blocks), the
 * others are answered in short beside it.
 *
 * Two ways a need shows: core needs found together anywhere in the message (a blocker and what it
 * blocks), and a need asked in a sentence of its own ("How do I deregister in Beijing? Is there a
 * fee?"). A look-alike topic's own words never make a second need in the same sentence: "do we
 * have to cancel the filing when we move?" is one question about moving.
 */
import type { Analysis, Analyzer } from './analyze.js';
import type { Defaults } from '../defaults.js';
import { isAlongside, type IntentSpec } from '../answer/intents.js';
import type { Need } from '../types.js';
import { namesNeed } from './names.js';
import { isCore, matchRules, type RuleHit } from './rules.js';

/** Words that ask a second thing as a separate matter ("btw", 另外, 顺便): they start a sentence, and keep a blocker apart. */
// ("btw" after "difference" is "between": "the diffrence btw 注销主体 and 取消接入" is one question.)
const ANOTHER_MATTER_EN =
  '(?<!\\b(?:diff|difference|diffrence|differnce|difrence|differences)\\s)btw|by the way|separately';
const ANOTHER_MATTER_ZH = '另外|还有|還有|此外|顺便|順便|以及';

/**
 * Sentence ends, list marks ("1)", "2."), a "+" between asks, and the words that start another
 * question ("btw", 另外, 还有, 然后 …, ", and" before a new subject or question word; "also" only
 * after a comma or "and", or first: "whether
 * cancelling also deletes the domain" is one question; "and then" before a question word;
 * a Chinese comma before "…之后/以后/…后": "备案号忘了，查到之后网站底部怎么放", "注销新疆的备案，注销后还能…"); not "and" or a comma alone,
 * which join one question as often as two. Alternatives of fixed strings and bounded lookaheads: linear.
 */
const CLAUSE_BREAK = new RegExp(
  [
    '[。！？!?；;\\n]+|\\.(?:\\s+|$)|\\s\\+\\s?|\\s\\d[).]\\s',
    `\\s(?:${ANOTHER_MATTER_EN}|additionally|plus|and another thing|also unrelated|unrelated:)\\b`,
    '(?:^|[,，]|\\band)\\s*also\\b',
    '[,，]\\s*and\\s+(?=(?:the|our|my|its|on|for|is|are|do|does|can|could|how|what|why|where|when|will|should|would|tell|let|send|explain|advise|confirm|afterwards|after|then)\\b)',
    '[，,]\\s*(?=也想问|还想问|也想请问)|[，,](?=[^，,。？?]{0,4}(?:之后|以后)|[^，,。？?]{1,4}后)',
    ',?\\s+and then\\s+(?=(?:how|what|where|can|could|do)\\b)',
    // The longer phrases before the words they begin with (顺便问一下 before 顺便).
    `顺便问一下|顺便问下|${ANOTHER_MATTER_ZH}|然后|然後|同时想问|另想问|同埋`,
  ].join('|'),
  'giu',
);

/** "also" opening a sentence ("…; also how long does it take?"): the break was the sentence end. */
const LEADING_ALSO = /^also\b\s*/iu;

/** The message cut into its sentences and asks; empty pieces dropped. */
export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map((c) => c.trim().replace(LEADING_ALSO, ''))
    .filter((c) => c.length > 1);
}

export interface NeedsInput {
  main: string;
  hits: readonly RuleHit[];
  analysis: Analysis;
  raw: string;
}

export interface NeedsContext {
  analyze: Analyzer;
  intents: readonly IntentSpec[];
  options: Defaults;
}

export interface FoundNeeds {
  /** The main ask: the one given, or a core need asked in a sentence of its own when the given one is a side topic. */
  main: string;
  also: Need[];
}

/** A rule's words are all there, whatever it excludes or needs besides: a sentence of its own may match it. */
const roughly = (r: IntentSpec['rules'][number], concepts: Analysis['concepts']): boolean =>
  r.all.every((c) => concepts.has(c)) && (r.all.length > 0 || r.any.some((c) => concepts.has(c)));

const specCache = new WeakMap<readonly IntentSpec[], ReadonlyMap<string, IntentSpec>>();
/** The intents by id, built once per intent set. */
function specsOf(intents: readonly IntentSpec[]): ReadonlyMap<string, IntentSpec> {
  let m = specCache.get(intents);
  if (!m) specCache.set(intents, (m = new Map(intents.map((i) => [i.intent, i]))));
  return m;
}

/** A password, in the words two passwords are told apart with (counted, not matched as a concept). */
const PASSWORD_WORD = /密码|密碼|password|passwd|pwd/giu;

/** How sure a rule must be of a core need for a question about its procedure to give way to it. */
const PROCEDURE_MIN = 0.75;

/** Sentences read one by one, at most. */
const MAX_CLAUSES = 12;

/** Words that make a sentence ask (even without a question mark) or say what is wrong. */
const ASKING = Object.freeze([
  'forget',
  'not_received',
  'howto',
  'what_is',
  'meaning',
  'difference',
  'either_question',
  'must_question',
]);

/** Politeness and chatter: never the main ask of a message that also asks for something. */
const CHATTER = new Set(['thanks', 'greeting', 'help']);

export function findNeeds(ctx: NeedsContext, input: NeedsInput): FoundNeeds {
  // What the bot did not understand has nothing "also" about it.
  if (input.main === 'fallback') return { main: input.main, also: [] };
  const spec = specsOf(ctx.intents);
  const alongside = (intent: string) => {
    const s = spec.get(intent);
    return s !== undefined && isAlongside(s);
  };
  const side = (intent: string) => ['side', 'about'].includes(String(spec.get(intent)?.alongside));
  const about = (intent: string) => spec.get(intent)?.alongside === 'about';
  const province = input.analysis.places.province;
  const found = new Map<string, Need>();
  // A number written in the message is not lost.
  const hasNumber = input.analysis.concepts.has('@record_number');
  const add = (intent: string, where: string | null) => {
    if (intent === 'lost_record_number' && hasNumber) return;
    if (intent !== input.main && alongside(intent) && !found.has(intent))
      found.set(intent, { intent, province: intent === 'deregister' ? (where ?? province) : null });
  };
  // A blocker and what it blocks, read together: both core, anywhere in the message.
  // …and a question about the procedure asked ("…and how long does it take").
  if (isCore(input.main)) for (const h of input.hits) if (isCore(h.intent) || about(h.intent)) add(h.intent, null);
  // …and a blocker of what a held-up need asks ("we're moving to you, but our record number is lost").
  // (Not "do we lose our number if we switch?", "原来的备案号还能用吗": what follows, not what is lost.)
  if (spec.get(input.main)?.held_up && !input.analysis.concepts.has('consequence'))
    for (const h of input.hits) if (BLOCKERS.has(h.intent)) add(h.intent, null);
  // A need asked in a sentence of its own.
  const whole = input.analysis.concepts;
  const { firstAsked, clauseNeeds, askedIn, requestedIn, toldIn, clauses, firstConcepts } = readSentences(
    ctx,
    input,
    add,
  );
  let main = input.main;
  const also = [...found.values()];
  // A side question that came first by precedence gives way to a deregistration asked on its own,
  // or about one filing named by its place or number ("注销吉林的主体要多久": they are deregistering).
  const named = input.analysis.concepts.has('@province') || input.analysis.concepts.has('@record_number');
  const deregisters = input.hits.some((h) => h.intent === 'deregister');
  // Not about the licence: "cancel our 京ICP证" cancels the licence, not the filing ("not the
  // licence, the filing: cancel it" does).
  // (A filing's own number written, ICP备…, says the filing is what is cancelled.)
  const licence = main === 'icp_licence' && !whole.has('@record_number');
  if (side(main) && deregisters && named && !licence && !found.has('deregister'))
    also.push({ intent: 'deregister', province });
  // A core need asked in a sentence of its own outranks a side question; a deregistration also does
  // when the message names the filing it is about.
  const ownClause = also.find((n) => isCore(n.intent) && clauseNeeds.has(n.intent));
  const dereg = also.find((n) => n.intent === 'deregister');
  // A question about a procedure gives way to the procedure itself, named anywhere in the message.
  // …but a question about a cancellation nobody asked for ("注销备案要多久？", "is there a fee to
  // cancel?") is that question: the cancellation comes first only when asked for or about one filing.
  // (The password only when something is wrong with it: "so the SMS check replaced the password" asks
  // about the check.)
  const asked = (h: RuleHit) =>
    h.intent === 'deregister'
      ? named || whole.has('request')
      : h.intent !== 'forgot_password' || whole.has('forget') || whole.has('request') || whole.has('login_lost');
  // (A weak reading of the procedure does not take over: "the SMS was supposed to come … check the
  // filing" reads a number looked up at 0.7, no more.)
  const coreHit = about(main)
    ? input.hits.find((h) => isCore(h.intent) && asked(h) && h.confidence >= PROCEDURE_MIN)
    : undefined;
  if (coreHit && !also.some((n) => n.intent === coreHit.intent))
    also.push({ intent: coreHit.intent, province: coreHit.intent === 'deregister' ? province : null });
  const procedure = coreHit ? also.find((n) => n.intent === coreHit.intent) : undefined;
  // The public-security filing is another filing: a lost ICP number beside it is the main ask
  // ("We forgot both our ICP number and the 公安备案 number", "备案号查不到了，公安备案号也忘了").
  // (Only an ICP number lost: "公安备案号忘了" has lost only the public-security one.)
  let lostBeside: Need | undefined;
  if (main === 'public_security_filing' && lostBesidePublicSecurity(ctx, input)) {
    lostBeside = also.find((n) => n.intent === 'lost_record_number');
    if (!lostBeside) also.push((lostBeside = { intent: 'lost_record_number', province: null }));
  }
  const core = ownClause ?? procedure ?? (named ? dereg : undefined) ?? lostBeside;
  if (side(main) && core) {
    also.splice(also.indexOf(core), 1, { intent: main, province: null });
    main = core.intent;
  }
  main = orderBlockers(ctx, input, firstAsked, main, also);
  // Two passwords, the filing's and a console's ("控制台密码忘了，备案密码也忘了"): the one named
  // first is the main ask, as for any two needs that weigh the same.
  // Both named in one sentence ("控制台密码和备案密码都忘了") are both needs; one password named
  // beside an account ("备案密码忘了，邮箱也换了") is the filing's alone.
  const bothPasswords =
    main === 'forgot_password' &&
    whole.has('filing_password') &&
    input.hits.some((h) => h.intent === 'console_password') &&
    (input.raw.match(PASSWORD_WORD) ?? []).length > 1;
  if (bothPasswords) {
    let consoleToo = also.find((n) => n.intent === 'console_password');
    if (!consoleToo) also.push((consoleToo = { intent: 'console_password', province: null }));
    if (firstWords(ctx.analyze, input.raw, 'console_password') < firstWords(ctx.analyze, input.raw, main)) {
      also.splice(also.indexOf(consoleToo), 1, { intent: main, province: null });
      main = consoleToo.intent;
    }
  }
  // Two needs asked in sentences of their own, neither blocking the other: the first asked is the
  // main ask ("What's our number? Also, we're moving — do we cancel first?"). A side question stays
  // beside a core need, and a blocker stays before what it blocks.
  const earlier = also.find(
    (n) =>
      !side(n.intent) &&
      !CHATTER.has(n.intent) &&
      !blocks(n.intent, main) &&
      !blocks(main, n.intent) &&
      askedIn.has(n.intent) &&
      firstAsked.includes(main) &&
      firstAsked.indexOf(n.intent) < firstAsked.indexOf(main),
  );
  // Not over a request made later ("听说…会被列为空壳网站？ … 想注销"), nor where the message takes
  // something back ("cancel 备案? 不不, I mean the domain").
  const firstWins = !requestedIn.has(main) && !whole.has('@negated') && !whole.has('correction');
  if (earlier && firstWins && !side(main) && !CHATTER.has(main)) {
    also.splice(also.indexOf(earlier), 1, { intent: main, province: main === 'deregister' ? province : null });
    main = earlier.intent;
  }
  main = sideFirst(input, { firstAsked, askedIn, requestedIn, firstConcepts }, main, also);
  // "Thanks for yesterday. We now need to deregister …": the request is the main ask.
  // …not one told as done ("Great, the filing is cancelled now. Thanks a lot!").
  const firstCore = also.find((n) => isCore(n.intent) && !(toldIn.has(n.intent) && !askedIn.has(n.intent)));
  if (CHATTER.has(main) && firstCore && clauses > 1) {
    also.splice(also.indexOf(firstCore), 1);
    main = firstCore.intent;
  }
  return { main, also };
}

/** What the sentences of a message ask, read one by one. */
interface Sentences {
  /** Intents in the order their sentences come. */
  firstAsked: string[];
  /** Needs besides the main ask found in a sentence of their own. */
  clauseNeeds: Set<string>;
  /** Intents of sentences that ask or request (not "Our filing was cancelled by the 管局."). */
  askedIn: Set<string>;
  /** …and of sentences that request something done ("we want to cancel …"). */
  requestedIn: Set<string>;
  /** Core needs of sentences that tell them done ("Great, the filing is cancelled now."). */
  toldIn: Set<string>;
  /** How many sentences were read (1: the message as a whole). */
  clauses: number;
  /** The concepts of the first sentence that matched an intent (null: none, or the message read whole). */
  firstConcepts: Analysis['concepts'] | null;
}

function readSentences(
  ctx: NeedsContext,
  input: NeedsInput,
  add: (intent: string, where: string | null) => void,
): Sentences {
  const firstAsked: string[] = [];
  const clauseNeeds = new Set<string>();
  const askedIn = new Set<string>();
  const requestedIn = new Set<string>();
  const toldIn = new Set<string>();
  let firstConcepts: Analysis['concepts'] | null = null;
  const whole = input.analysis.concepts;
  const aboutFiling = whole.has('filing') || whole.has('dereg_strong') || whole.has('@record_number');
  const aboutNumber = whole.has('record_number');
  // Sentences are read one by one only when the whole message matched another topic too (what a
  // sentence finds, the whole message finds), and only the first few: a long paste costs no more.
  const others = ctx.intents.some(
    (i) => i.intent !== input.main && isAlongside(i) && i.rules.some((r) => roughly(r, whole)),
  );
  const clauses = others ? splitClauses(input.raw) : [input.raw];
  // Not the number itself: "需要加链接吗？" after "备案号放哪里" asks about showing it, not for it.
  // …unless the sentence looks it up ("How do I look it up for the transfer?").
  const aboutTheNumber = (a: Analysis) =>
    matchRules(ctx.intents, leanOn(a.concepts, aboutFiling, true), ctx.options).find(
      (h) => !namesNeed(h.intent, NUMBER_WORDS) || (a.concepts.has('query') && !a.concepts.has('consequence')),
    );
  if (clauses.length > 1) {
    for (const clause of clauses.slice(0, MAX_CLAUSES)) {
      const a = ctx.analyze(clause);
      // A sentence leans on the message for what it is about: "Is there a fee?" after "cancel our filing".
      // …and when it matches nothing so, for the number it is about ("how do we show it in the footer?").
      const concepts = leanOn(a.concepts, aboutFiling, false);
      const top = matchRules(ctx.intents, concepts, ctx.options)[0] ?? (aboutNumber ? aboutTheNumber(a) : undefined);
      if (!top) continue;
      if (!firstAsked.includes(top.intent)) firstAsked.push(top.intent);
      firstConcepts ??= concepts;
      // A core need in a sentence of its own is asked unless told as done or handed in ("注销备案，重庆的。"
      // asks; "Our filing was cancelled by the 管局.", "Submitted the deregistration last week." tell).
      // (Not where it also says what is lost: "our filing was done by an agency and we have no idea what the number is".)
      const question = endsAsQuestion(input.raw, clause);
      // A sentence of thanks tells what was done, whatever its words ("Thank you for helping us
      // cancel the filing last week."): its "help us" requests nothing.
      const thanked = a.concepts.has('thanks') && !question;
      const told =
        a.concepts.has('it_worked') ||
        ((thanked ||
          a.concepts.has('completed') ||
          a.concepts.has('vanished') ||
          a.concepts.has('submitted') ||
          a.concepts.has('kept')) &&
          !a.concepts.has('forget'));
      const requested = !thanked && (a.concepts.has('request') || (isCore(top.intent) && a.concepts.has('howto')));
      const problem = ASKING.some((c) => a.concepts.has(c));
      // A blocker's sentence asks only when it says what is wrong or asks how ("The number used to come
      // up on the ministry's lookup page." tells; "Our number is lost." asks); a cancellation's always.
      const saysNeed = top.intent === 'deregister' || problem;
      if (requested || question || (isCore(top.intent) && !told && saysNeed)) askedIn.add(top.intent);
      else if (told) toldIn.add(top.intent);
      // ("need to know whether …" requests nothing to be done: only a core need is requested.)
      if (requested && isCore(top.intent)) requestedIn.add(top.intent);
      if (top.intent === input.main) continue;
      // A sentence that only tells the background ("we moved the site to AWS Tokyo", "need it to show
      // at the bottom of the page") is no need of its own unless it asks, requests or says what is wrong.
      const spec = specsOf(ctx.intents).get(top.intent);
      const background = spec?.background === true || spec?.alongside === 'side';
      if (background && !requested && !problem && !question) continue;
      // A need told as done is no need ("Great, the filing is cancelled now. Thanks!").
      if (told && isCore(top.intent) && !requested && !question) continue;
      // "…跟注销备案是一回事吗" compares a kind with the cancellation: no cancellation asked for.
      if (top.intent === 'deregister' && a.concepts.has('same_thing') && !requested) continue;
      // "Do we have to cancel the filing?" asks whether, not for a cancellation.
      if (a.concepts.has('must_question') && !isCore(input.main)) continue;
      add(top.intent, a.places.province);
      clauseNeeds.add(top.intent);
    }
  }
  return { firstAsked, clauseNeeds, askedIn, requestedIn, toldIn, clauses: clauses.length, firstConcepts };
}

/**
 * The password and the number, and what they block: the main ask among them (the one asked first
 * of the two; a blocker before the deregistration it holds up, unless kept apart). `also` is
 * rearranged in place; the main ask is returned.
 */
function orderBlockers(
  ctx: NeedsContext,
  input: NeedsInput,
  firstAsked: readonly string[],
  main: string,
  also: Need[],
): string {
  const whole = input.analysis.concepts;
  const province = input.analysis.places.province;
  // Two blockers (the password and the number): the one asked first is the main ask.
  const other = also.find((n) => BLOCKERS.has(n.intent));
  if (BLOCKERS.has(main) && other) {
    const [a, b] = [firstAsked.indexOf(main), firstAsked.indexOf(other.intent)];
    // Both lost in one sentence ("备案号和备案密码都找不到了"): the one whose words come first; not
    // where one is kept ("备案号我有，是密码忘了": the lost one, whatever comes first).
    const otherFirst =
      a >= 0 && b >= 0 && a !== b
        ? b < a
        : !whole.has('kept') &&
          firstWords(ctx.analyze, input.raw, other.intent) < firstWords(ctx.analyze, input.raw, main);
    if (otherFirst) {
      also.splice(also.indexOf(other), 1, { intent: main, province: null });
      main = other.intent;
    }
  }
  // A blocker met on the way is the main ask, whichever reader chose the deregistration (the
  // classifier may overrule the rules' precedence).
  // Only one said to be lost, found by the rules in the whole message (not a side mention in a sentence).
  const lostBlocker = (n: Need) =>
    BLOCKERS.has(n.intent) && whole.has('forget') && input.hits.some((h) => h.intent === n.intent);
  const heldUp =
    main === 'deregister' || (specsOf(ctx.intents).get(main)?.held_up === true && !ADDITIVE.test(input.raw));
  const blocker = heldUp ? also.find(lostBlocker) : undefined;
  if (blocker && !keptApart(whole, blocker.intent)) {
    also.splice(also.indexOf(blocker), 1, { intent: main, province: main === 'deregister' ? province : null });
    main = blocker.intent;
  }
  // A lost number that is another site's, or beside a filing whose number is written, blocks no
  // cancellation ("cancel 蒙ICP备…, and look up the number of our other site"): the first asked leads.
  const cancel = also.find((n) => n.intent === 'deregister');
  if (keptApart(whole, main) && BLOCKERS.has(main) && cancel && !whole.has('correction')) {
    const [a, b] = [firstAsked.indexOf(main), firstAsked.indexOf('deregister')];
    const deregFirst =
      a >= 0 && b >= 0 && a !== b
        ? b < a
        : firstWords(ctx.analyze, input.raw, 'deregister') < firstWords(ctx.analyze, input.raw, main);
    if (deregFirst) {
      also.splice(also.indexOf(cancel), 1, { intent: main, province: null });
      main = 'deregister';
    }
  }
  return main;
}

/**
 * A side question asked first, then a need of another matter in a sentence of its own ("公安备案怎么办？
 * 还有，我们的备案号忘了", "How long does a new filing take? And btw what's our ICP number?"): the first
 * asked is the main ask. Not when the side question is about that need (its sentence names it: "注销
 * 要多久？我们要注销…"), nor over a deregistration requested ("…We also need to deregister our old
 * filing"). `also` is rearranged in place; the main ask is returned.
 */
function sideFirst(
  input: NeedsInput,
  s: Pick<Sentences, 'firstAsked' | 'askedIn' | 'requestedIn' | 'firstConcepts'>,
  main: string,
  also: Need[],
): string {
  const first = s.firstAsked[0];
  if (!first || !isCore(main) || isCore(first) || CHATTER.has(first) || !s.askedIn.has(first)) return main;
  if (!s.firstConcepts || namesOwnWords(main, s.firstConcepts)) return main;
  const whole = input.analysis.concepts;
  if (main === 'deregister' && (s.requestedIn.has('deregister') || whole.has('request'))) return main;
  const side = also.find((n) => n.intent === first);
  if (!side) return main;
  also.splice(also.indexOf(side), 1, {
    intent: main,
    province: main === 'deregister' ? input.analysis.places.province : null,
  });
  return first;
}

/** The public-security filing's own words, taken out to see what else the message says is lost. */
const PUBLIC_SECURITY_WORDS =
  /公安备案号?|公安備案號?|公网安备号?|公網安備號?|public[- ]security(?: filing)?(?: number)?/giu;

/** Whether an ICP number is said lost (not only asked about) beside the public-security filing, in words of its own. */
function lostBesidePublicSecurity(ctx: NeedsContext, input: NeedsInput): boolean {
  if (!input.hits.some((h) => h.intent === 'lost_record_number')) return false;
  const rest = ctx.analyze(input.raw.replace(PUBLIC_SECURITY_WORDS, ' '));
  return (
    rest.concepts.has('forget') &&
    matchRules(ctx.intents, rest.concepts, ctx.options).some((h) => h.intent === 'lost_record_number')
  );
}

/**
 * Whether a blocker stands apart from the cancellation beside it: another site's, kept apart by the
 * asker ("separately"), or a lost number beside a filing whose number is written.
 */
function keptApart(whole: Analysis['concepts'], blocker: string): boolean {
  return (
    whole.has('other_site') ||
    whole.has('separately') ||
    (blocker === 'lost_record_number' && whole.has('@record_number'))
  );
}

/**
 * A sentence leans on the message for what it is about: "Is there a fee?" after "cancel our
 * filing" asks about the filing; "how do we show it in the footer?" after "we lost our record
 * number" asks about the number (unless the sentence names a number or password of its own).
 */
function leanOn(concepts: Analysis['concepts'], aboutFiling: boolean, aboutNumber: boolean): Analysis['concepts'] {
  const filing = aboutFiling && !concepts.has('filing');
  const number = aboutNumber && !['record_number', 'number', 'password'].some((c) => concepts.has(c));
  if (!filing && !number) return concepts;
  const out = new Map(concepts);
  if (filing) out.set('filing', false);
  if (number) for (const c of ['record_number', 'number']) out.set(c, false);
  return out;
}

const NUMBER_WORDS: Analysis['concepts'] = new Map([
  ['record_number', false],
  ['number', false],
]);

/** Whether a sentence of the message ends with a question mark. */
function endsAsQuestion(raw: string, clause: string): boolean {
  const at = raw.indexOf(clause);
  return at >= 0 && /^\s*[?？]/u.test(raw.slice(at + clause.length, at + clause.length + 4));
}

/** A second thing asked as a separate matter ("also", "oh and", and the words above). Fixed strings: linear. */
const ADDITIVE = new RegExp(`\\b(?:also|${ANOTHER_MATTER_EN}|another thing|oh and)\\b|${ANOTHER_MATTER_ZH}`, 'iu');

/** What a deregistration waits for: the password, the number (the label rules' blockers). */
export const BLOCKERS: ReadonlySet<string> = new Set(['forgot_password', 'lost_record_number']);

/** Whether one need blocks the other on the way (a blocker and the deregistration it holds up). */
const blocks = (blocker: string, blocked: string) => blocked === 'deregister' && BLOCKERS.has(blocker);

/**
 * Whether a need's own words are there: namesNeed's, and for the deregistration its weak words too
 * ("注销", "cancel" alone), which elsewhere only widen a question back.
 */
const namesOwnWords = (intent: string, c: Analysis['concepts']): boolean =>
  namesNeed(intent, c) || (intent === 'deregister' && c.has('dereg_weak'));

/** Beyond this length, which blocker comes first in one sentence is left to precedence (it reads prefixes). */
const FIRST_WORDS_MAX = 500;

/**
 * Where a need's own words first appear: the shortest prefix of the message that the analyzer
 * finds them in (so typos, Traditional and every language the lexicon knows count), found by
 * bisection; Infinity when absent or the message is long.
 */
function firstWords(analyze: Analyzer, raw: string, intent: string): number {
  const has = (k: number) => namesOwnWords(intent, analyze(raw.slice(0, k)).concepts);
  if (raw.length > FIRST_WORDS_MAX || !has(raw.length)) return Infinity;
  let [lo, hi] = [0, raw.length];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (has(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
