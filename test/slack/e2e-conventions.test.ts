/**
 * Slack conventions end to end, against the stand-in: a message's `text` (what a notification, a
 * screen reader or a client without blocks shows) is the whole plain customer answer, not its
 * title; the Home tab's example questions are buttons whose answer arrives in the user's DM, the
 * question quoted above it.
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { findAgentOnly } from '../../src/answer/audience.js';
import { ACTIONS } from '../../src/answer/render-blocks.js';
import type { RecordedCall } from '../../src/standin/server.js';
import { elementsOf, textOf, useHarness } from './bot-process.js';

const h = useHarness();

let testStart = 0;
beforeEach(() => {
  testStart = performance.now();
});
const waitCall = (method: string, pred: (c: RecordedCall) => boolean = () => true, after = testStart) =>
  h.standin.waitForCall((c) => c.method === method && c.at > after && pred(c), { timeoutMs: 5000 });

describe('the notification text', () => {
  it('is the whole plain customer answer under its title', async () => {
    const q = await h.standin.sendMessage({ user: 'U0ALICE', text: 'How do I deregister our ICP filing in Zhejiang?' });
    const answer = await waitCall('chat.postMessage', (c) => c.args.channel === q.channel);
    const text = String(answer.args.text);
    expect(text.split('\n')[0]).toBe('Deregistering an ICP filing in Zhejiang');
    expect(text).toContain("In your hosting provider's console");
    expect(text).toContain('12381');
    expect(text).toContain('Zhejiang Communications Administration');
    expect(text).toContain('https://beian.miit.gov.cn/#/Integrated/notice_list');
    expect(findAgentOnly(text)).toEqual([]);
  });
});

describe('the Home tab', () => {
  it('offers its example questions as buttons; one pressed is answered in the DM, quoted above the answer', async () => {
    await h.standin.openHome({ user: 'U0CAROL' });
    const published = await waitCall('views.publish');
    const view = JSON.parse(String(published.args.view)) as { blocks: unknown[] };
    const buttons = elementsOf({ ...published, args: { blocks: view.blocks } })
      .map((e) => e.element)
      .filter((e) => String(e.action_id).startsWith(`${ACTIONS.homeExample}:`));
    expect(buttons.map((b) => (b.text as { text: string }).text)).toContain(
      'How do I deregister our ICP filing in Zhejiang?',
    );
    expect(buttons.map((b) => (b.text as { text: string }).text)).toContain('浙江的备案怎么注销？');

    const pressed = await h.standin.clickHome({ user: 'U0CAROL', actionId: `${ACTIONS.homeExample}:en:0` });
    expect(pressed.status).toBe(200);
    const dm = h.standin.workspace.dmWith('U0CAROL').id;
    const quoted = await waitCall('chat.postMessage');
    const answer = await waitCall('chat.postMessage', () => true, quoted.at);
    expect(quoted.response.channel).toBe(dm);
    expect(String(quoted.args.text)).toContain('>How do I deregister our ICP filing in Zhejiang?');
    expect(answer.args.channel).toBe(dm);
    expect(textOf(answer)).toMatch(/Zhejiang Communications Administration/);
    const order = h.standin.messages(dm).map((m) => m.text.split('\n')[0]);
    expect(order).toEqual(['You asked on the Home tab:', 'Deregistering an ICP filing in Zhejiang']);
  });
});
