import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QUESTION_TEXT_LIMIT, createLogger, maskPersonalData, questionLine, scrub } from '../../src/slack/log.js';

function capture() {
  let out = '';
  const destination = new Writable({
    write(chunk, _e, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { destination, text: () => out };
}

describe('logger', () => {
  it('never writes tokens, secrets, signatures or response URLs, by key or inside strings', () => {
    const c = capture();
    const log = createLogger({ destination: c.destination, secrets: ['xoxb-real-token-1', 'my-signing-secret'] });
    log.info({
      token: 'verif-token',
      headers: { 'x-slack-signature': 'v0=abc' },
      payload: { response_url: 'https://hooks.slack.com/actions/T1/1/abc' },
    });
    log.error({ err: new Error('call failed with xoxb-real-token-1 and my-signing-secret') });
    log.warn('see https://hooks.slack.com/commands/T1/2/zzz and xoxp-123-456 and v0=0123456789abcdef0123456789abcdef');
    log.info({ nested: { deeper: { token: 'xapp-1-zzz' } } });
    const out = c.text();
    for (const leak of [
      'verif-token',
      'v0=abc',
      'hooks.slack.com',
      'xoxb-real-token-1',
      'my-signing-secret',
      'xoxp-123',
      'v0=0123',
      'xapp-1',
    ]) {
      expect(out).not.toContain(leak);
    }
    expect(out).toContain('call failed with');
    expect(
      out
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l) !== null),
    ).toBe(true);
  });

  it('writes an error with its stack (where it failed), scrubbed and masked like any text', () => {
    const c = capture();
    const log = createLogger({ destination: c.destination, secrets: ['xoxb-real-token-1'] });
    function failingStep(): never {
      throw new Error('lookup failed for xoxb-real-token-1 and 13812345678');
    }
    try {
      failingStep();
    } catch (err) {
      log.error({ event: 'understand_failed', err });
    }
    const line = JSON.parse(c.text()) as { err: { message: string; stack: string } };
    expect(line.err.stack).toMatch(/failingStep/);
    expect(line.err.stack).toMatch(/log\.test\.ts/);
    expect(c.text()).not.toContain('xoxb-real-token-1');
    expect(c.text()).not.toContain('13812345678');
    expect(line.err.message).toBe('lookup failed for [redacted] and [phone]');
  });

  it('scrubs the stand-in style response URL too', () => {
    expect(scrub('posting to http://127.0.0.1:4000/response/abc123', [])).not.toContain('/response/abc123');
  });
});

describe('question lines', () => {
  const base = { eventId: 'Ev1', team: 'T1', channel: 'C1', surface: 'dm' as const, province: null, latencyMs: 3.21 };

  it('carry event, team, channel, intent, province, confidence and latency, but not a confident question', () => {
    const line = questionLine({ ...base, intent: 'deregister', confidence: 0.93, text: 'my phone 13812345678' });
    expect(line).toMatchObject({
      event: 'question',
      event_id: 'Ev1',
      team: 'T1',
      channel: 'C1',
      intent: 'deregister',
      confidence: 0.93,
      latency_ms: 3.2,
    });
    expect(line.text).toBeUndefined();
  });

  it('log a low-confidence question, masked and cut to 500 characters', () => {
    const text = `身份证 11010519491231002X 电话 13812345678 ${'字'.repeat(1000)}`;
    const line = questionLine({ ...base, intent: 'fallback', confidence: 0.2, text });
    expect(typeof line.text).toBe('string');
    const t = line.text as string;
    expect(Array.from(t).length).toBe(QUESTION_TEXT_LIMIT);
    expect(t).not.toContain('11010519491231002X');
    expect(t).not.toContain('13812345678');
  });

  it('mask ID-card and mobile numbers but not other digits', () => {
    expect(maskPersonalData('id 110105194912310021, x 11010519491231002x')).toBe('id [id-card], x [id-card]');
    expect(maskPersonalData('call 13912345678 or +86 15912345678')).toBe('call [phone] or [phone]');
    expect(maskPersonalData('record 浙ICP备12345678号-1, year 2020, 12345678901234567890')).toBe(
      'record 浙ICP备12345678号-1, year 2020, 12345678901234567890',
    );
  });
});

describe('what libraries print never carries the question', () => {
  it('at LOG_LEVEL=debug the Web API client logs no request body (button values hold the question)', async () => {
    const { startStandin } = await import('../../src/standin/server.js');
    const { createSlackOut, createWebClient } = await import('../../src/slack/webapi.js');
    const standin = await startStandin({ signingSecret: 's3cret-signing', botToken: 'xoxb-debug-test' });
    try {
      const c = capture();
      const log = createLogger({ level: 'debug', destination: c.destination });
      const out = createSlackOut(createWebClient('xoxb-debug-test', standin.apiUrl, log), log);
      const question = '手机13912345678 身份证110101199003077777 注销 secret-question-text';
      await out.postMessage({
        channel: 'D0LOCAL',
        text: 'answer',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'b' }, value: question }],
          },
        ],
      });
      const text = c.text();
      expect(text).toContain('web-api'); // the client did log at debug
      for (const leak of ['13912345678', '110101199003077777', 'secret-question-text'])
        expect(text).not.toContain(leak);
    } finally {
      await standin.close();
    }
  });

  it('console output of a library is masked and never dumps an object', async () => {
    const { captureConsole } = await import('../../src/slack/log.js');
    const c = capture();
    const saved = {
      log: console.log,
      info: console.info,
      warn: console.warn,
      error: console.error,
      debug: console.debug,
    };
    try {
      captureConsole(createLogger({ destination: c.destination }));
      console.error('Could not find channel in activity', {
        channelData: { event: { text: 'my phone 13912345678 and secret-question-text' } },
      });
      console.warn('ID 110101199003077777 seen');
    } finally {
      Object.assign(console, saved);
    }
    const text = c.text();
    expect(text).toContain('Could not find channel in activity');
    for (const leak of ['13912345678', 'secret-question-text', '110101199003077777']) expect(text).not.toContain(leak);
  });
});
