/** The Slack layer's own words (buttons, notices), in both answer languages. */
import { checkKnown, hant } from '../answer/hant.js';
import type { Lang } from '../types.js';

export const STRINGS = {
  en: {
    plainText: 'Plain text for customer',
    details: 'Steps and details',
    fullText: 'Full text',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    postToChannel: 'Post to channel',
    postInThread: 'Post in thread',
    askPerson: 'Ask a person',
    forAgents: 'For agents',
    forAgentsIntro: 'For agents only, not for the customer (only you can see this):',
    agentsOnly: 'That button is for the support team. The answer above is all there is for you.',
    handedOff:
      'I have asked a colleague to look at this, and shared your question, how I read it and my answer with them. They will answer you in this thread.',
    handedOffDm:
      'I have asked a colleague to look at this, and shared your question, how I read it and my answer with them. Their replies will arrive here through me, and what you write here goes to them until the case is solved.',
    handoffPost: '{group}Question from <@{user}> {where}: {question}',
    whereChannel: 'in <#{channel}>',
    whereDm: 'in a direct message with <@{user}>',
    understoodAs: 'Understood as: {intent}{province}, confidence {confidence}.',
    reasonFallback: 'Why: the bot had no answer (fallback).',
    reasonNotHelpful: 'Why: the asker marked the answer Not helpful.',
    reasonAsked: 'Why: the asker asked for a person.',
    botAnswered: 'The bot answered:',
    handoffHowDm:
      'Replies in this thread go to the asker’s DM through the bot, and what they write there comes here, until someone presses Solved.',
    handoffHowChannel: 'Answer the asker in their thread; press Solved once it is done.',
    openConversation: 'Open the conversation',
    takeIt: 'Take it',
    solved: 'Solved',
    caseTakenStatus: 'Taken by <@{user}>.',
    caseSolvedStatus: 'Solved by <@{user}>.',
    caseTaken: '<@{user}> from the support team is looking at your question.',
    caseAlreadyTaken: '<@{user}> already has this case.',
    caseYours: 'You already have this case.',
    caseClosed: 'This case is already solved, or it has expired.',
    caseSolved: '<@{user}> marked your question as solved. Ask me again any time.',
    caseSolvedDm:
      '<@{user}> marked your question as solved, so what you write here no longer goes to them: I answer it myself again.',
    relayFromColleague: '*<@{user}>* (support team):\n{text}',
    relayFromAsker: '*<@{user}>* wrote:\n{text}',
    handoffFailed: 'Sorry, I could not reach a colleague just now. Please try again in a moment.',
    shortcutNoText: 'That message has no text for me to answer.',
    plainTextIntro: 'Plain text, ready to paste to a customer:',
    thanksHelpful: 'Thanks — glad it helped.',
    thanksNotHelpful: 'Thanks for telling us. The team reviews these to improve the answers.',
    expired:
      'Sorry, I no longer have that question (a question I asked back waits {duration} for your answer). Please ask it again and I will answer right away.',
    notYours: 'This is <@{user}>’s question. Ask your own question and I will answer you too.',
    notYoursButton:
      'This is <@{user}>’s question, so only they can do that. Ask your own question and I will answer you too.',
    handoffAlready: 'This question has already been sent to the team; a colleague will answer in the conversation.',
    handoffLimit:
      'Sorry, I can pass on at most {limit} questions an hour for you. Please try again later, or ask the team directly.',
    alreadyVoted: 'You have already given feedback on this answer — thank you.',
    posted: 'Posted to the channel.',
    postFailed: 'Sorry, I could not post here. Add the app to this channel, or copy the answer instead.',
    askedBy: '<@{user}> asked: {question}',
    chosen: '<@{user}> chose {choice}; the answer follows below.',
    replied: '<@{user}> replied {choice}; the answer follows below.',
    homeAsked: 'You asked on the Home tab:\n>{question}',
    alreadyInLanguage: 'The answer above is already in {language}.',
    languageEn: 'English',
    languageZh: 'Chinese',
    languageHant: 'Traditional Chinese',
    slashUsage: 'Usage: `/icp your question`, e.g. `/icp how do I deregister my ICP filing in Zhejiang`.',
    slashFailed: 'Sorry, something went wrong while answering. Please try again.',
  },
  zh: {
    plainText: '给客户的纯文本',
    details: '步骤和详情',
    fullText: '完整内容',
    helpful: '有帮助',
    notHelpful: '没有帮助',
    postToChannel: '发到频道',
    postInThread: '在消息列中回复',
    askPerson: '转人工',
    forAgents: '客服资料',
    forAgentsIntro: '客服专用，请勿转给客户（只有你能看到）：',
    agentsOnly: '这个按钮是给支持团队用的。上面的回答就是给你的全部内容。',
    handedOff: '已请同事查看，并把你的问题、我的理解和我的回答转给了他们。他们会在这个消息列中回复你。',
    handedOffDm:
      '已请同事查看，并把你的问题、我的理解和我的回答转给了他们。他们的回复会通过我发到这里；在问题解决之前，你在这里写的内容都会转给他们。',
    handoffPost: '{group}<@{user}> {where}的问题：{question}',
    whereChannel: '在 <#{channel}> ',
    whereDm: '在与 <@{user}> 的私信中',
    understoodAs: '识别为：{intent}{province}，置信度 {confidence}。',
    reasonFallback: '原因：机器人没有答案（fallback）。',
    reasonNotHelpful: '原因：提问人标记回答“没有帮助”。',
    reasonAsked: '原因：提问人要求转人工。',
    botAnswered: '机器人的回答：',
    handoffHowDm:
      '在此消息列中的回复会通过机器人发到提问人的私信，对方在私信中写的内容也会转到这里，直到有人点“已解决”。',
    handoffHowChannel: '请在提问人的消息列中回复；处理完后点“已解决”。',
    openConversation: '打开对话',
    takeIt: '我来处理',
    solved: '已解决',
    caseTakenStatus: '由 <@{user}> 处理。',
    caseSolvedStatus: '已由 <@{user}> 解决。',
    caseTaken: '支持团队的 <@{user}> 正在处理你的问题。',
    caseAlreadyTaken: '<@{user}> 已经在处理这个问题。',
    caseYours: '这个问题已经由你处理。',
    caseClosed: '这个问题已经解决或已过期。',
    caseSolved: '<@{user}> 已将你的问题标记为已解决。有问题随时再问我。',
    caseSolvedDm: '<@{user}> 已将你的问题标记为已解决，你在这里写的内容不再转给对方，由我直接回答。',
    relayFromColleague: '*<@{user}>*（支持团队）：\n{text}',
    relayFromAsker: '*<@{user}>* 写道：\n{text}',
    handoffFailed: '抱歉，暂时联系不上同事，请稍后再试。',
    shortcutNoText: '这条消息没有可以回答的文字。',
    plainTextIntro: '纯文本，可直接粘贴给客户：',
    thanksHelpful: '谢谢反馈，很高兴能帮上忙。',
    thanksNotHelpful: '谢谢反馈，我们会据此改进回答。',
    expired: '抱歉，这个问题已过期（我追问的问题保留 {duration}）。请重新提问，我会马上回答。',
    notYours: '这是 <@{user}> 的问题。请直接提出你自己的问题，我也会回答你。',
    notYoursButton: '这是 <@{user}> 的问题，只有提问人可以这样做。请直接提出你自己的问题，我也会回答你。',
    handoffAlready: '这个问题已经转给同事了，他们会在对话里回复。',
    handoffLimit: '抱歉，每小时最多为你转人工 {limit} 次。请稍后再试，或直接联系团队。',
    alreadyVoted: '你已经对这个回答反馈过了，谢谢。',
    posted: '已发到频道。',
    postFailed: '抱歉，无法发到这里。请先把应用添加到该频道，或直接复制回答。',
    askedBy: '<@{user}> 问：{question}',
    chosen: '<@{user}> 选择了{choice}，回答见下方。',
    replied: '<@{user}> 回复了{choice}，回答见下方。',
    homeAsked: '你在主页上问：\n>{question}',
    alreadyInLanguage: '上面的回答已经是{language}的了。',
    languageEn: '英文',
    languageZh: '中文',
    languageHant: '繁体中文',
    slashUsage: '用法：`/icp 你的问题`，例如 `/icp 浙江怎么注销备案`。',
    slashFailed: '抱歉，回答时出了点问题，请再试一次。',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type StringKey = keyof (typeof STRINGS)['en'];

let checked = false;

/** The reviewed Traditional strings (data/zh-hant.yaml) are each one of ours: checked at start-up and first use. */
export function checkStrings(): void {
  if (!checked) checkKnown('strings', new Set(Object.values(STRINGS.zh)));
  checked = true;
}

/** One of the Slack layer's strings, filled in; in Traditional when the asker wrote it, as its readers write it. */
export function t(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}, traditional = false): string {
  // The template is converted, not the filled text, so the conversion is one the build made (or reviewed).
  if (lang === 'zh' && traditional) checkStrings();
  const template = lang === 'zh' && traditional ? hant(STRINGS.zh[key], 'strings') : STRINGS[lang][key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** "30 minutes" / "30 分钟", at least one minute. */
export function duration(lang: Lang, ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  if (lang === 'zh') return `${m} 分钟`;
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** Escapes user text echoed into mrkdwn, so it cannot ping (`<!channel>`) or hide a link. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's own escapes back to characters (message text arrives escaped), before escaping it once. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A message relayed between the asker and a colleague, as Slack delivered it (already escaped):
 * user mentions (when `mentions`) and links stay, a labelled link shows its address, and every
 * other `<…>` (`<!channel>`, `<!subteam^…>`, `<#C…>`) is escaped, so it pings nobody.
 */
export function relayText(text: string, opts: { mentions: boolean }): string {
  return text.replace(/<([^<>]*)>|[<>]/g, (whole, inner: string | undefined) => {
    if (inner === undefined) return whole === '<' ? '&lt;' : '&gt;';
    if (opts.mentions && /^@[UW][A-Z0-9]{2,}(\|[^|]*)?$/.test(inner)) return `<${inner.split('|')[0]}>`;
    const link = /^(https?:\/\/[^\s|]+)(?:\|(.*))?$/.exec(inner);
    if (link) return link[2] ? `${link[2]} (<${link[1]}>)` : `<${link[1]}>`;
    return `&lt;${inner}&gt;`;
  });
}

/** Slack user ids are safe to put in `<@…>`; anything else is dropped. */
export function safeUserId(id: string | undefined): string | null {
  return id !== undefined && /^[UW][A-Z0-9]{2,}$/.test(id) ? id : null;
}
