/**
 * The App Home tab: on `app_home_opened` (tab "home"), publish what the bot answers and how to ask
 * it, in English and Chinese, with MIIT's current links (data/topics.yaml, topic `home`).
 */
import { renderHome } from '../answer/render-blocks.js';
import { str } from './inbound.js';
import type { HandlerDeps, Outcome } from './reply.js';

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
