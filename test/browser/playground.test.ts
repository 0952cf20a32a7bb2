/**
 * Browser test of the playground: the real `npm start --ignore-scripts` with no Slack settings
 * (dist/ built by `npm run test:browser`), driven through Debian's Chromium with playwright-core.
 * On failure a screenshot goes to test-results/. PLAYGROUND_SCREENSHOT=docs/playground.png also
 * saves #general with the answer thread open there (the README picture).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '../slack/bot-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = join(ROOT, 'test-results');
const ZHEJIANG_FORM = 'http://zcainfo.miitbeian.gov.cn/state/outPortal/queryMutualityDownloadInfo.action?id=31';
const WAIT = { timeout: 15_000 };

/** True once nothing accepts connections on the port (the node process is gone, not orphaned). */
async function portClosed(port: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (!open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

interface Started {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start` with both Slack settings empty (so a developer's .env cannot fill them in). */
async function startPlayground(): Promise<Started> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SLACK_')) env[k] = v;
  Object.assign(env, { PORT: String(port), SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' });
  // Its own process group: npm, sh and node all get the SIGTERM (npm does not pass it through sh).
  const child = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://localhost:${port}/`;
  const deadline = Date.now() + 30_000;
  while (!out.includes(`Open ${url}`)) {
    if (child.exitCode !== null) throw new Error(`npm start exited early (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`npm start did not print ${url} within 30 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, url, output: () => out, exited };
}

describe('playground in Chromium', () => {
  let app: Started | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let profile = '';

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}. The browser test drives Debian's Chromium: install it with\n` +
          `  sudo apt-get install chromium\n(or point CHROMIUM_PATH at a Chromium binary).`,
      );
    }
    app = await startPlayground();
    profile = mkdtempSync(join(tmpdir(), 'icp-playground-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // The page must never talk to anything but its own origin.
    await page.route(/^(?!http:\/\/localhost:\d+\/)/, (route) => route.abort());
    await page.goto(app.url);
    await page.locator('#status.ok').waitFor(WAIT);
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (app?.child.pid !== undefined && app.child.exitCode === null) {
      process.kill(-app.child.pid, 'SIGTERM');
      await app.exited;
      assert.ok(await portClosed(app.port), `the playground still listens after SIGTERM:\n${app.output()}`);
    }
  });

  /** Runs one step; on failure keeps a screenshot for whoever reads the CI log. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      mkdirSync(RESULTS, { recursive: true });
      const file = join(RESULTS, `playground-${name}.png`);
      await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(
        `${err instanceof Error ? err.message : String(err)}\nscreenshot: ${file}\nserver output:\n${app?.output() ?? ''}`,
        { cause: err },
      );
    }
  }

  const openConversation = (name: string): Promise<void> => page.getByRole('link', { name, exact: true }).click();
  const main = (): Locator => page.locator('#main-messages');
  const botMessages = (): Locator => main().locator('.msg.from-bot');
  async function say(text: string, input = '#main-input'): Promise<void> {
    await page.locator(input).fill(text);
    await page.locator(input).press('Enter');
  }

  test(
    "DM: deregister → province picker → Zhejiang: today's route first, archived address only behind For agents → details → plain text → feedback",
    { timeout: 60_000 },
    async () => {
      await step('dm', async () => {
        await openConversation('icpbot');
        await say('How do I deregister?');
        await main().locator('.msg', { hasText: 'How do I deregister?' }).waitFor(WAIT);
        const picker = botMessages().last().locator('select.bk-select');
        await picker.waitFor(WAIT);
        await picker.selectOption({ label: '浙江 Zhejiang' });

        // The answer is the bot message with a Zhejiang header (the plain text posted later has none).
        const answer = botMessages()
          .filter({ has: page.locator('.bk-header', { hasText: 'Zhejiang' }) })
          .last();
        await answer.waitFor(WAIT);
        assert.match((await answer.locator('.bk-header').first().textContent()) ?? '', /Zhejiang/);
        // The first link is today's MIIT system; the seed's address only privately, behind "For agents".
        assert.match(
          (await answer.locator('a.bk-link').first().getAttribute('href')) ?? '',
          /^https:\/\/beian\.miit\.gov\.cn/,
        );
        const body = (await answer.textContent()) ?? '';
        assert.doesNotMatch(body, /miitbeian|JD Cloud|jcloud|Archived/);
        await answer.getByRole('button', { name: 'For agents' }).click();
        const forAgents = main().locator('.msg.ephemeral', { hasText: ZHEJIANG_FORM }).last();
        await forAgents.waitFor(WAIT);
        assert.match((await forAgents.textContent()) ?? '', /Archived \(for agents, not a working address\)/);

        await answer.getByRole('button', { name: 'Steps and details' }).click();
        await botMessages().filter({ hasText: 'Which one to cancel' }).first().waitFor(WAIT);

        await answer.getByRole('button', { name: 'Plain text for customer' }).click();
        const plain = main()
          .locator('.msg.ephemeral', { hasText: 'https://beian.miit.gov.cn/#/Integrated/notice_list' })
          .last();
        await plain.waitFor(WAIT);
        const plainText = (await plain.textContent()) ?? '';
        assert.match(plainText, /Only visible to you/);
        assert.doesNotMatch(plainText, /miitbeian|JD Cloud|jcloud/);
        // Plain text: the URL written out, not a link label.
        assert.equal(await plain.locator('a.bk-link').count(), 0);

        await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
        await main().locator('.msg.ephemeral', { hasText: 'glad it helped' }).waitFor(WAIT);
      });
    },
  );

  test(
    'channel: @mention → the answer in a thread; "what about Guangxi?" in that thread needs no mention',
    { timeout: 60_000 },
    async () => {
      await step('channel', async () => {
        await openConversation('general');
        await say('@icpbot How do I deregister in Zhejiang?');
        const asked = main().locator('.msg', { hasText: 'How do I deregister in Zhejiang?' });
        await asked.locator('.bk-mention', { hasText: '@icpbot' }).waitFor(WAIT);
        await asked.locator('.replies', { hasText: '1 reply' }).waitFor(WAIT);
        // The answer is in the thread, not in the channel.
        assert.equal(await main().locator('.msg.from-bot').count(), 0);
        const thread = page.locator('#thread');
        await thread
          .locator('.msg.from-bot', { hasText: 'Zhejiang Communications Administration' })
          .first()
          .waitFor(WAIT);
        assert.match((await thread.locator('.msg').first().textContent()) ?? '', /How do I deregister in Zhejiang\?/);

        await say('what about Guangxi?', '#thread-input');
        await thread
          .locator('.msg.from-bot', { hasText: 'Guangxi Communications Administration' })
          .first()
          .waitFor(WAIT);
        const shot = process.env.PLAYGROUND_SCREENSHOT;
        if (shot) {
          mkdirSync(dirname(join(ROOT, shot)), { recursive: true });
          await page.locator('#thread-messages').evaluate((el) => (el.scrollTop = 0));
          await page.screenshot({ path: join(ROOT, shot) });
        }
      });
    },
  );

  test('/icp: only you see it, "Post to channel" shares it', { timeout: 60_000 }, async () => {
    await step('slash', async () => {
      await openConversation('general');
      await say('/icp how do I deregister in Zhejiang');
      const mine = main().locator('.msg.ephemeral', { has: page.getByRole('button', { name: 'Post to channel' }) });
      await mine.waitFor(WAIT);
      await mine.getByRole('button', { name: 'Post to channel' }).click();
      await main()
        .locator('.msg.from-bot:not(.ephemeral)', { hasText: 'Zhejiang Communications Administration' })
        .waitFor(WAIT);
    });
  });

  test('Home tab: what the bot answers, in both languages, with MIIT links', { timeout: 60_000 }, async () => {
    await step('home', async () => {
      await page.getByRole('link', { name: 'icpbot · Home' }).click();
      const home = main().locator('.home');
      await home.waitFor(WAIT);
      await home.locator('.bk-header', { hasText: 'ICP Filing Helper' }).waitFor(WAIT);
      await home.locator('.bk-header', { hasText: 'ICP备案助手' }).waitFor(WAIT);
      const links = await home.locator('a.bk-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.includes('https://beian.miit.gov.cn/#/Integrated/notice_list'), links.join(' '));
      const shot = process.env.HOME_SCREENSHOT;
      if (shot) {
        mkdirSync(dirname(join(ROOT, shot)), { recursive: true });
        await page.screenshot({ path: join(ROOT, shot) });
      }
    });
  });

  test(
    'message shortcut: ⋯ → Answer with icp-bot on a customer message → only you see it → Post in thread',
    { timeout: 60_000 },
    async () => {
      await step('shortcut', async () => {
        await openConversation('general');
        await say('customer says: 我们的备案号找不到了，去哪里查？');
        const customer = main().locator('.msg', { hasText: '我们的备案号找不到了' }).last();
        await customer.waitFor(WAIT);
        await customer.hover();
        await customer.getByRole('button', { name: 'More actions' }).click();
        await customer.getByRole('menuitem', { name: 'Answer with icp-bot' }).click();
        const mine = main().locator('.msg.ephemeral', { has: page.getByRole('button', { name: '在消息列中回复' }) });
        await mine.waitFor(WAIT);
        assert.match((await mine.textContent()) ?? '', /Only visible to you/);
        await mine.getByRole('button', { name: '在消息列中回复' }).click();
        await customer.locator('.replies', { hasText: '1 reply' }).waitFor(WAIT);
        await customer.locator('.replies').click();
        await page
          .locator('#thread .msg.from-bot', { hasText: 'recordQuery' })
          .or(page.locator('#thread .msg.from-bot a.bk-link[href*="recordQuery"]'))
          .first()
          .waitFor(WAIT);
      });
    },
  );

  test(
    'hand-off: "Ask a person" under an answer the bot cannot give posts to #support-private, Take it and Solved there reach the DM; the report page shows this run',
    { timeout: 60_000 },
    async () => {
      await step('handoff', async () => {
        await openConversation('icpbot');
        await say('can you invoice us in USD for the CDN plan?');
        const fallback = botMessages()
          .filter({ has: page.getByRole('button', { name: 'Ask a person' }) })
          .last();
        await fallback.waitFor(WAIT);
        await fallback.getByRole('button', { name: 'Ask a person' }).click();
        await botMessages().filter({ hasText: 'asked a colleague' }).last().waitFor(WAIT);
        await openConversation('support-private');
        const post = main().locator('.msg.from-bot', { hasText: 'invoice us in USD' }).first();
        await post.waitFor(WAIT);
        // While the case is open the DM goes to the colleague; Solved hands it back to the bot.
        await post.getByRole('button', { name: 'Take it' }).click();
        await post.getByText(/Taken by/).waitFor(WAIT);
        await post.getByRole('button', { name: 'Solved' }).click();
        await post.getByText(/Solved by/).waitFor(WAIT);
        await openConversation('icpbot');
        await botMessages().filter({ hasText: 'is looking at your question' }).last().waitFor(WAIT);
        await botMessages().filter({ hasText: 'I answer it myself again' }).last().waitFor(WAIT);

        const report = await context!.newPage();
        await report.goto(new URL('/report', app!.url).toString());
        await report.locator('canvas').first().waitFor(WAIT);
        assert.match((await report.textContent('body')) ?? '', /invoice us in USD/);
        await report.close();
      });
    },
  );

  test('the report on a generated month, in Chromium (REPORT_SCREENSHOT saves it)', { timeout: 120_000 }, async () => {
    await step('report', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'icp-report-'));
      const db = join(dir, 'month.sqlite');
      const html = join(dir, 'report.html');
      const run = (args: string[]) => {
        const r = spawnSync(process.execPath, args, {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: '' },
        });
        assert.equal(r.status, 0, `${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
      };
      run(['--import', 'tsx', 'scripts/questions-month.ts', '--db', db]);
      run(['dist/src/cli.js', 'report', '--db', db, '--since', '31d', '--html', html]);
      const page2 = await context!.newPage();
      const errors: string[] = [];
      page2.on('pageerror', (e) => errors.push(e.message));
      await page2.goto(pathToFileURL(html).toString());
      await page2.locator('canvas').nth(2).waitFor(WAIT);
      assert.deepEqual(errors, []);
      const shot = process.env.REPORT_SCREENSHOT;
      if (shot) {
        mkdirSync(dirname(join(ROOT, shot)), { recursive: true });
        await page2.setViewportSize({ width: 1280, height: 1400 });
        await page2.screenshot({ path: join(ROOT, shot), fullPage: false });
      }
      await page2.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });

  test('Chinese question → Chinese answer; Traditional → Traditional', { timeout: 60_000 }, async () => {
    await step('chinese', async () => {
      await openConversation('icpbot');
      let before = await botMessages().count();
      await say('浙江注销备案');
      await botMessages().nth(before).waitFor(WAIT);
      let answer = botMessages().last();
      assert.match((await answer.locator('.bk-header').first().textContent()) ?? '', /浙江/);
      await answer.getByRole('button', { name: '给客户的纯文本' }).waitFor(WAIT);
      assert.match((await answer.textContent()) ?? '', /浙江省通信管理局/);

      before = await botMessages().count();
      await say('廣東的備案怎麼註銷');
      await botMessages().nth(before).waitFor(WAIT);
      answer = botMessages().last();
      assert.match((await answer.locator('.bk-header').first().textContent()) ?? '', /廣東.*註銷/);
    });
  });
});
