/**
 * More than one instance, end to end: real bot processes sharing a real Redis, the Slack stand-in
 * in front. Retries that land on the other instance, a conversation completed by the other
 * instance, an instance killed with SIGKILL in the middle of a backlog, and Redis itself stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type RecordedCall, type Standin } from '../../src/standin/server.js';
import { SECRET, TOKEN, sleep, startBots, type BotProcess, until } from './bot-process.js';
import { dropPrefix, privateRedis, REDIS_URL, redisForTests, testPrefix } from '../support/redis.js';

const hasRedis = await redisForTests();

const eventsUrl = (b: BotProcess) => `${b.url}/slack/events`;
const postsIn = (s: Standin, channel: string): RecordedCall[] =>
  s.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);

describe.skipIf(!hasRedis)('two instances on one Redis', () => {
  let standin: Standin;
  let bots: BotProcess[] = [];
  const prefix = testPrefix();

  beforeAll(async () => {
    standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
    bots = await startBots(standin, 2, { REDIS_URL, REDIS_PREFIX: prefix });
  });

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await standin?.close();
    await dropPrefix(prefix);
  });

  it('each event sent to one instance and its retry to the other: every one answered exactly once', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    const channels: string[] = [];
    for (let i = 0; i < 30; i++) {
      standin.botUrl = eventsUrl(i % 2 === 0 ? a : b);
      const sent = await standin.sendMessage({ user: `U0TWICE${i}`, text: 'how do I deregister in Zhejiang' });
      expect(sent.status).toBe(200);
      standin.botUrl = eventsUrl(i % 2 === 0 ? b : a);
      const again = await standin.driver.retry(sent.envelopes[0]!, 1);
      expect(again.status).toBe(200);
      channels.push(sent.channel);
    }
    expect(await until(() => channels.every((c) => postsIn(standin, c).length >= 1), 15_000)).toBe(true);
    await sleep(1500);
    expect(channels.map((c) => postsIn(standin, c).length)).toEqual(channels.map(() => 1));
  });

  it('a picker shown by one instance is completed by a province typed to the other', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    standin.botUrl = eventsUrl(a);
    const asked = await standin.sendMessage({ user: 'U0PICKER', text: 'how do I deregister my ICP filing?' });
    expect(await until(() => postsIn(standin, asked.channel).length === 1, 10_000)).toBe(true);
    standin.botUrl = eventsUrl(b);
    await standin.sendMessage({ user: 'U0PICKER', text: 'Zhejiang' });
    expect(await until(() => postsIn(standin, asked.channel).length === 2, 10_000)).toBe(true);
    const answer = postsIn(standin, asked.channel)[1]!;
    expect(String(answer.args.text)).toMatch(/Zhejiang/);
    // The prompt was marked answered in place.
    expect(standin.callsOf('chat.update').some((c) => c.args.channel === asked.channel)).toBe(true);
  });
});

describe.skipIf(!hasRedis)('an instance killed in the middle of a backlog', () => {
  it('every acknowledged event is answered by the survivor; repeats only within the documented window, counted', async () => {
    const standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
    const prefix = testPrefix();
    const [a, b] = (await startBots(standin, 2, { REDIS_URL, REDIS_PREFIX: prefix })) as [BotProcess, BotProcess];
    try {
      // A slow Web API: replies fall behind and both instances hold a backlog.
      standin.delay('chat.postMessage', 1500);
      const acked: string[] = [];
      let killed = false;
      for (let i = 0; i < 100; i++) {
        if (i === 50) {
          a.child.kill('SIGKILL');
          killed = true;
        }
        const target = i % 2 === 0 && !killed ? a : b;
        standin.botUrl = eventsUrl(target);
        let sent = await standin.sendMessage({ user: `U0KILL${i}`, text: 'deregister Zhejiang filing' });
        // Slack retries what was not acknowledged; the load balancer sends the retry to the survivor.
        if (sent.status !== 200) {
          standin.botUrl = eventsUrl(b);
          const again = await standin.driver.retry(sent.envelopes[0]!, 1);
          sent = { ...sent, status: again.status };
        }
        if (sent.status === 200) acked.push(sent.channel);
        await sleep(10);
      }
      expect(acked).toHaveLength(100);
      // The dead instance's jobs come back once their locks expire (about 10 s) and the survivor answers them.
      const answered = await until(() => acked.every((c) => postsIn(standin, c).length >= 1), 60_000);
      const lost = acked.filter((c) => postsIn(standin, c).length === 0);
      expect(lost, `unanswered after the kill: ${lost.length}`).toEqual([]);
      expect(answered).toBe(true);
      const repeated = acked.filter((c) => postsIn(standin, c).length > 1).length;
      process.stdout.write(
        `kill -9 in a 100-event backlog: 0 lost, ${repeated} answered twice (posted, then killed before the turn was marked done)\n`,
      );
      // Only what the dead instance was posting at that moment can repeat: at most its worker's concurrency.
      expect(repeated).toBeLessThanOrEqual(16);
    } finally {
      standin.delay('chat.postMessage', 0);
      await b.stop();
      if (a.child.exitCode === null && a.child.signalCode === null) await a.stop();
      await standin.close();
      await dropPrefix(prefix);
    }
  }, 120_000);
});

describe.skipIf(!hasRedis)('Redis stopped during a run', () => {
  it('answers 503 while Redis is down (never 200), and answers what Slack sends again once it is back', async () => {
    const redis = await privateRedis();
    const standin = await startStandin({ signingSecret: SECRET, botToken: TOKEN });
    const [bot] = (await startBots(standin, 1, { REDIS_URL: redis.url })) as [BotProcess];
    standin.botUrl = eventsUrl(bot);
    try {
      const before = await standin.sendMessage({ user: 'U0BEFORE', text: 'deregister Zhejiang filing' });
      expect(before.status).toBe(200);
      expect(await until(() => postsIn(standin, before.channel).length === 1, 10_000)).toBe(true);

      await redis.stop();
      const during: Awaited<ReturnType<Standin['sendMessage']>>[] = [];
      for (let i = 0; i < 5; i++)
        during.push(await standin.sendMessage({ user: `U0DURING${i}`, text: 'deregister Zhejiang filing' }));
      expect(during.map((s) => s.status)).toEqual([503, 503, 503, 503, 503]);

      await redis.start();
      // Slack sends each refused event again; once Redis is back they are taken and answered.
      for (const s of during) {
        let status = 0;
        for (let n = 1; n <= 20 && status !== 200; n++) {
          status = (await standin.driver.retry(s.envelopes[0]!, Math.min(n, 3))).status;
          if (status !== 200) await sleep(500);
        }
        expect(status).toBe(200);
      }
      expect(await until(() => during.every((s) => postsIn(standin, s.channel).length === 1), 15_000)).toBe(true);
    } finally {
      await bot.stop();
      await standin.close();
      await redis.stop();
    }
  }, 90_000);
});

describe.skipIf(!hasRedis)('Socket Mode with Redis', () => {
  const APP_TOKEN = 'xapp-1-e2e-redis-socket-do-not-log';

  it('two instances on one socket pool and one Redis: every envelope answered once', async () => {
    const prefix = testPrefix();
    const standin = await startStandin({
      signingSecret: SECRET,
      botToken: TOKEN,
      appToken: APP_TOKEN,
      transport: 'socket',
    });
    const bots = await startBots(standin, 2, {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_SIGNING_SECRET: '',
    });
    try {
      expect(standin.socket.connections).toBe(2);
      const sent = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          standin.sendMessage({ user: `U0SOCK${String(i).padStart(3, '0')}`, text: '注销备案 浙江' }),
        ),
      );
      expect(sent.every((s) => s.status === 200)).toBe(true);
      // Some envelopes are sent again as if unacknowledged: the same event, to whichever connection.
      for (const s of sent.slice(0, 10)) expect((await standin.retry(s.envelopes[0]!, 1, 'timeout')).status).toBe(200);
      expect(await until(() => sent.every((s) => postsIn(standin, s.channel).length >= 1), 15_000)).toBe(true);
      await sleep(1_000);
      expect(sent.filter((s) => postsIn(standin, s.channel).length !== 1)).toEqual([]);
    } finally {
      for (const b of bots) await b.stop();
      await standin.close();
      await dropPrefix(prefix);
    }
  }, 60_000);

  it('an envelope is acknowledged only once Redis holds it: while Redis is down it is not, and Slack sends it again', async () => {
    const redis = await privateRedis();
    const standin = await startStandin({
      signingSecret: SECRET,
      botToken: TOKEN,
      appToken: APP_TOKEN,
      transport: 'socket',
      socketAckTimeoutMs: 2_000,
      socketMaxRetries: 8,
    });
    const [bot] = (await startBots(standin, 1, {
      REDIS_URL: redis.url,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_SIGNING_SECRET: '',
    })) as [BotProcess];
    try {
      await redis.stop();
      const acked: number[] = [];
      const during = Array.from({ length: 3 }, (_, i) =>
        standin
          .sendMessage({ user: `U0SOCKDOWN${i}`, text: 'deregister Zhejiang filing' })
          .then((r) => (acked.push(performance.now()), r)),
      );
      await sleep(2_500);
      // Nothing acknowledged while Redis could not take it.
      expect(acked).toEqual([]);
      expect(standin.socket.counts.retried).toBeGreaterThan(0);
      await redis.start();
      const results = await Promise.all(during);
      expect(
        results.map((r) => r.status),
        bot
          .logLines()
          .filter((l) => l.level !== 30 || String(l.event).includes('redis') || String(l.event).includes('reject'))
          .map((l) => JSON.stringify(l))
          .join('\n'),
      ).toEqual([200, 200, 200]);
      expect(await until(() => results.every((s) => postsIn(standin, s.channel).length === 1), 15_000)).toBe(true);
    } finally {
      await bot.stop();
      await standin.close();
      await redis.stop();
    }
  }, 60_000);
});
