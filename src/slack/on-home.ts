/**
 * The App Home tab: on `app_home_opened` (tab "home"), publish what the bot answers and how to ask
 * it, in English and Chinese, with MIIT's current links (data/topics.yaml, topic `home`). Its
 * example questions are buttons: a click answers the question in the user's DM, quoted above it.
 */
import { renderHome } from '../answer/render-blocks.js';
import type { Click } from './click.js';
import { str } from './inbound.js';
import { inAskedLanguage } from './on-message.js';
import { contextKey } from './pending.js';
import type { HandlerDeps, Outcome, Replier, TurnContext } from './reply.js';
import { escapeSlack, t } from './strings.js';

export function createHomeHandler(deps: HandlerDeps) {
  // The same view for everyone: built once.
  let view: ReturnType<typeof renderHome> | undefined;
  return async function onHomeOpened(event: Record<string, unknown>): Promise<Outcome> {
    const user = str(event.user);
    if (event.type !== 'app_home_opened' || event.tab !== 'home' || !user) return 'ignored';
    view ??= renderHome([deps.core.topicAnswer('home', 'en'), deps.core.topicAnswer('home', 'zh')]);
    return (await deps.out.publishView({ user_id: user, view })) ? 'answered' : 'failed';
  };
}

/** An example question pressed on the Home tab: quoted in the user's DM, its answer below it. */
export async function onHomeExample(deps: HandlerDeps, r: Replier, click: Click, ctx: TurnContext): Promise<Outcome> {
  const question = click.value ?? '';
  // Only the examples we offer: a forged value asks nothing on the user's behalf.
  const offered = (['en', 'zh'] as const).some((lang) =>
    deps.core.topicAnswer('home', lang).examples?.questions.includes(question),
  );
  if (!offered) return 'ignored';
  const understood = deps.core.understand(question);
  const { lang, traditional } = understood;
  // Posted to the user's id: Slack puts it in their DM with the bot and says which channel that is.
  const quoted = await deps.out.postMessage({
    channel: click.user,
    text: t(lang, 'homeAsked', { question: escapeSlack(question) }, traditional),
  });
  const channel = typeof quoted?.channel === 'string' ? quoted.channel : null;
  if (!channel) return 'failed';
  const context = await deps.pending.getContext(contextKey(channel, undefined, true));
  const u = inAskedLanguage(understood, context?.language);
  const outcome = await r.post(u, {
    channel,
    threadTs: undefined,
    user: click.user,
    team: ctx.team,
    isDm: true,
    qref: ctx.ref,
  });
  const { intent, province, confidence } = u;
  r.logQuestion(ctx, { channel, surface: 'dm', intent, province, confidence, text: question }, u);
  return outcome;
}
