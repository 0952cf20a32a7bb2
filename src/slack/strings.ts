/** The Slack layer's own words (buttons, notices), in both answer languages. */
import { toTraditional } from '../understand/traditional.js';
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
    handedOff: 'I have asked a colleague to look at this; they will answer here.',
    handoffPost:
      '{group}Question from <@{user}> in <#{channel}>: {question}\nUnderstood as: {intent}{province}, confidence {confidence}.',
    openConversation: 'Open the conversation',
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
    handedOff: '已请同事查看，他们会在这里回复你。',
    handoffPost:
      '{group}<@{user}> 在 <#{channel}> 的问题：{question}\n识别为：{intent}{province}，置信度 {confidence}。',
    openConversation: '打开对话',
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
    slashUsage: '用法：`/icp 你的问题`，例如 `/icp 浙江怎么注销备案`。',
    slashFailed: '抱歉，回答时出了点问题，请再试一次。',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type StringKey = keyof (typeof STRINGS)['en'];

/** One of the Slack layer's strings, filled in; in Traditional characters when the asker wrote them. */
export function t(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}, traditional = false): string {
  // The template is converted, not the filled text, so the conversion is one the build made.
  const template = lang === 'zh' && traditional ? toTraditional(STRINGS.zh[key]) : STRINGS[lang][key];
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

/** Slack user ids are safe to put in `<@…>`; anything else is dropped. */
export function safeUserId(id: string | undefined): string | null {
  return id !== undefined && /^[UW][A-Z0-9]{2,}$/.test(id) ? id : null;
}
