/**
 * A realistic month of questions for the question log: a few thousand rows across days (busier on
 * weekdays, one busy day mid-month), intents, provinces, surfaces and both languages, with
 * province questions completed by a pick or a typed reply, fallbacks, low-confidence answers,
 * feedback (some "Not helpful", with the text), hand-offs and a long tail of slow answers.
 * Deterministic for a seed. Used by the report tests and for the report's screenshot:
 *
 *   npx tsx scripts/questions-month.ts --db /tmp/month.sqlite      # or DATABASE_URL=postgres://…
 *   npx icp-bot report --db /tmp/month.sqlite --since 30d --html /tmp/report.html
 *
 * Options: --days N (30), --seed N (1), --end ISO-date (now), --sample SHARE (0: LABEL_SAMPLE's
 * share of answered questions kept to be labelled, drawn from the seed). Writes through the
 * question log itself (src/questions/log.ts), so what is kept follows the same rules as in the bot.
 */
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../src/understand/model.js';
import {
  openQuestionLog,
  type Feedback,
  type LoggedQuestion,
  type QuestionLog,
  type Surface,
} from '../src/questions/log.js';

export interface GeneratedQuestion extends LoggedQuestion {
  ref: string;
  at: number;
  feedback: Feedback | null;
  handedOff: boolean;
}

export interface MonthOptions {
  /** The month ends here (exclusive); now by default. */
  end?: number;
  days?: number;
  seed?: number;
}

const DAY = 24 * 3600 * 1000;

function weighted<T>(rnd: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

const digits = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');

const PROVINCES: readonly (readonly [string, string, string, number])[] = [
  ['guangdong', 'Guangdong', '广东', 18],
  ['zhejiang', 'Zhejiang', '浙江', 14],
  ['beijing', 'Beijing', '北京', 12],
  ['shanghai', 'Shanghai', '上海', 11],
  ['jiangsu', 'Jiangsu', '江苏', 9],
  ['sichuan', 'Sichuan', '四川', 5],
  ['shandong', 'Shandong', '山东', 5],
  ['fujian', 'Fujian', '福建', 4],
  ['hubei', 'Hubei', '湖北', 3],
  ['henan', 'Henan', '河南', 3],
  ['hunan', 'Hunan', '湖南', 3],
  ['anhui', 'Anhui', '安徽', 2],
  ['tianjin', 'Tianjin', '天津', 2],
  ['chongqing', 'Chongqing', '重庆', 2],
  ['shaanxi', 'Shaanxi', '陕西', 2],
  ['liaoning', 'Liaoning', '辽宁', 1],
  ['hainan', 'Hainan', '海南', 1],
  ['yunnan', 'Yunnan', '云南', 1],
  ['guangxi', 'Guangxi', '广西', 1],
  ['jiangxi', 'Jiangxi', '江西', 1],
];
const PREFIX: Record<string, string> = {
  guangdong: '粤',
  zhejiang: '浙',
  beijing: '京',
  shanghai: '沪',
  jiangsu: '苏',
  sichuan: '蜀',
  shandong: '鲁',
  fujian: '闽',
  hubei: '鄂',
  henan: '豫',
  hunan: '湘',
  anhui: '皖',
  tianjin: '津',
  chongqing: '渝',
  shaanxi: '陕',
  liaoning: '辽',
  hainan: '琼',
  yunnan: '滇',
  guangxi: '桂',
  jiangxi: '赣',
};

type Texts = { en: readonly string[]; zh: readonly string[] };

/** What people ask, by intent; {p} the province, {pz} its Chinese name, {rec} a record number. */
const ASKED: Record<string, Texts> = {
  deregister: {
    en: [
      'How do I deregister our ICP filing in {p}?',
      'cancel beian for our {p} site',
      'we closed the website, how to cancel the ICP record {rec}',
      'need to log out the ICP filing, company moved out of {p}',
    ],
    zh: [
      '{pz}的备案怎么注销',
      '网站不做了，备案 {rec} 如何注销',
      '怎么注销{pz}的网站备案',
      '公司注销了，{pz}备案怎么处理',
    ],
  },
  forgot_password: {
    en: [
      'I forgot the ICP filing password',
      'where do I reset the beian password?',
      'lost the filing system password, what now',
    ],
    zh: ['备案密码忘了怎么办', '备案系统密码找不回来', '忘记备案密码了'],
  },
  lost_record_number: {
    en: [
      'We lost our ICP record number, where can I look it up?',
      'how to find the beian number of our domain',
      'what is our ICP number',
    ],
    zh: ['备案号忘了在哪里查', '怎么查询网站的备案号', '找不到备案号了'],
  },
  switch_provider: {
    en: ['moving servers to another cloud, do we cancel the filing?'],
    zh: ['换服务商了，备案要注销吗'],
  },
  cancel_kinds: {
    en: ["what's the difference between cancelling the entity and the site"],
    zh: ['注销主体和注销网站有什么区别'],
  },
  change_filing: { en: ['how to change the responsible person on our filing'], zh: ['备案负责人手机号怎么变更'] },
  filing_status: { en: ['how long until our filing is approved?'], zh: ['备案审核到哪一步了'] },
  greeting: { en: ['hi', 'hello there'], zh: ['你好', '在吗'] },
  thanks: { en: ['thanks!', 'great, thank you'], zh: ['谢谢', '好的谢谢'] },
  public_security_filing: { en: ['do we also need the public security filing?'], zh: ['公安备案也要注销吗'] },
};

/** What the bot does not answer well: a long tail, a few asked again and again (with numbers that vary). */
const UNANSWERED: readonly (readonly [Texts, number])[] = [
  [
    {
      en: ['Can the deregistration be expedited? ticket {n}', 'can the deregistration be  expedited?  ticket {n}'],
      zh: ['注销备案能加急吗 工单{n}'],
    },
    14,
  ],
  [{ en: ['how much does ICP filing cost'], zh: ['备案要收费吗'] }, 10],
  [{ en: ['my phone {phone} never got the 12381 SMS'], zh: ['手机 {phone} 一直收不到12381短信'] }, 9],
  [{ en: ['Filing rejected with code {n}, what does it mean?'], zh: ['备案被驳回 代码{n} 什么意思'] }, 8],
  [{ en: ['do mini programs need an ICP filing'], zh: ['小程序需要备案吗'] }, 6],
  [{ en: ['can a foreign company file an ICP record'], zh: ['外资公司可以备案吗'] }, 5],
  [{ en: ['refund for order {n}'], zh: ['订单{n}退款'] }, 4],
  [{ en: ['is a CDN domain covered by our filing'], zh: ['CDN加速域名需要单独备案吗'] }, 3],
  [{ en: ['lunch?'], zh: ['吃饭了吗'] }, 3],
  [{ en: ['how to get an EDI licence'], zh: ['EDI许可证怎么办'] }, 2],
  [{ en: ['server in Hong Kong, do I need a filing'], zh: ['香港服务器要备案吗'] }, 2],
];

const INTENTS: readonly (readonly [string, number])[] = [
  ['deregister', 44],
  ['forgot_password', 14],
  ['lost_record_number', 12],
  ['switch_provider', 4],
  ['cancel_kinds', 3],
  ['change_filing', 3],
  ['filing_status', 3],
  ['public_security_filing', 2],
  ['greeting', 3],
  ['thanks', 4],
  ['fallback', 8],
];

const SURFACES: readonly (readonly [Surface, number])[] = [
  ['dm', 36],
  ['mention', 32],
  ['slash', 18],
  ['followup', 10],
  ['shortcut', 4],
];

function fill(rnd: () => number, template: string, province: string | null): string {
  const p = PROVINCES.find((x) => x[0] === province) ?? PROVINCES[0]!;
  return template
    .replace('{p}', p[1])
    .replace('{pz}', p[2])
    .replace('{rec}', `${PREFIX[p[0]] ?? '粤'}ICP备${digits(rnd, 8)}号`)
    .replace('{n}', digits(rnd, 3 + Math.floor(rnd() * 4)))
    .replace('{phone}', `1${3 + Math.floor(rnd() * 7)}${digits(rnd, 9)}`);
}

/** A reply time in ms: most under a second, a tail of seconds, a few very slow (Web API retries). */
function latency(rnd: () => number): number {
  const base = Math.exp(Math.log(420) + 0.55 * gauss(rnd));
  const slow = rnd() < 0.01 ? 3000 + rnd() * 6000 : 0;
  return Math.round((base + slow) * 10) / 10;
}

function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** The month, oldest first. */
export function generateMonth(opts: MonthOptions = {}): GeneratedQuestion[] {
  const days = opts.days ?? 30;
  const end = opts.end ?? Date.now();
  const seed = opts.seed ?? 1;
  const rnd = seededRandom(seed);
  const start = end - days * DAY;
  const out: GeneratedQuestion[] = [];
  let n = 0;
  const teams = ['T0ACME01', 'T0ACME01', 'T0ACME01', 'T0BETA02'];
  const channels = ['C0SUPPORT', 'C0ICPHELP', 'C0ONCALL'];

  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const weekday = new Date(dayStart + 8 * 3600 * 1000).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // A notice about stricter checks mid-month: a busy day.
    const busy = d === Math.floor(days / 2);
    const volume = Math.round((weekend ? 35 : 120) * (busy ? 2.4 : 1) * (0.85 + rnd() * 0.3));
    for (let i = 0; i < volume; i++) {
      // Beijing working hours, mostly (09:00–19:00 UTC+8 is 01:00–11:00 UTC).
      const hour = rnd() < 0.85 ? 1 + rnd() * 10 : rnd() * 24;
      const at = Math.round(dayStart + hour * 3600 * 1000);
      if (at >= end) continue;
      const ref = () => `Ev${seed}x${(n++).toString(36)}`;
      const lang = rnd() < 0.55 ? 'en' : 'zh';
      const team = teams[Math.floor(rnd() * teams.length)]!;
      let surface = weighted(rnd, SURFACES);
      const channel = surface === 'dm' ? `D0${digits(rnd, 6)}` : channels[Math.floor(rnd() * channels.length)]!;
      const intent = weighted(rnd, INTENTS);
      const core = ['deregister', 'forgot_password', 'lost_record_number'].includes(intent);
      const q = (over: Partial<GeneratedQuestion>): GeneratedQuestion => ({
        ref: ref(),
        at,
        team,
        channel,
        surface,
        lang,
        intent,
        province: null,
        confidence: 0.9,
        outcome: 'answered',
        latencyMs: latency(rnd),
        text: '',
        feedback: null,
        handedOff: false,
        ...over,
      });

      if (intent === 'fallback') {
        const texts = weighted(rnd, UNANSWERED);
        const text = fill(rnd, pick(rnd, texts[lang]), null);
        out.push(q({ text, outcome: 'fallback', confidence: rnd() < 0.5 ? 0.4 : 0.6, handedOff: rnd() < 0.06 }));
        continue;
      }
      // A low-confidence answer: sometimes to an unanswered kind of question read as one of ours.
      const low = core && rnd() < 0.07;
      const offTopic = low && rnd() < 0.6;
      const province =
        intent === 'deregister' && !offTopic
          ? weighted(
              rnd,
              PROVINCES.map((p) => [p[0], p[3]] as const),
            )
          : null;
      const text = offTopic
        ? fill(rnd, pick(rnd, weighted(rnd, UNANSWERED)[lang]), null)
        : fill(rnd, pick(rnd, ASKED[intent]![lang]), province);
      const confidence = low ? 0.45 + rnd() * 0.14 : core ? 0.72 + rnd() * 0.27 : 0.8 + rnd() * 0.19;
      const rate = (nh: number): Pick<GeneratedQuestion, 'feedback' | 'handedOff'> => {
        if (!core || rnd() > 0.2) return { feedback: null, handedOff: false };
        const feedback: Feedback = rnd() < nh ? 'not_helpful' : 'helpful';
        return { feedback, handedOff: feedback === 'not_helpful' && rnd() < 0.15 };
      };

      if (intent === 'deregister' && !offTopic && rnd() < 0.3) {
        // No province named: the bot asks, and the asker picks or types one.
        out.push(q({ text, outcome: 'asked_province', confidence, province: null }));
        if (rnd() < 0.85) {
          surface = rnd() < 0.7 ? 'pick' : 'typed';
          out.push(
            q({ at: at + 20_000 + Math.round(rnd() * 100_000), text, province, confidence, ...rate(low ? 0.5 : 0.18) }),
          );
        }
        continue;
      }
      if (intent === 'forgot_password' && rnd() < 0.08) {
        // "forgot password" alone: the filing password or the console's? The bot asks.
        out.push(q({ text, outcome: 'clarified', confidence: 0.55 + rnd() * 0.2 }));
        continue;
      }
      out.push(q({ text, province, confidence, ...rate(low ? 0.5 : 0.18) }));
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Writes the questions, their feedback and hand-offs through `log`, and waits until they are written. */
export async function writeMonth(log: QuestionLog, questions: readonly GeneratedQuestion[]): Promise<void> {
  let queued = 0;
  for (const q of questions) {
    log.record(q);
    queued++;
    if (q.feedback) {
      log.feedback(q.ref, q.feedback, q.text);
      queued++;
    }
    if (q.handedOff) {
      log.handedOff(q.ref, q.text);
      queued++;
    }
    // Well under the log's queue bound.
    if (queued >= 2000) {
      await log.flush();
      queued = 0;
    }
  }
  await log.flush();
}

async function main(argv: string[]): Promise<void> {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const db = opt('--db');
  const databaseUrl = db ? null : process.env.DATABASE_URL || null;
  if (!db && !databaseUrl) {
    process.stderr.write(
      'usage: npx tsx scripts/questions-month.ts --db FILE.sqlite [--days 30] [--seed 1] [--end 2026-11-30] [--sample 0.02]  (or DATABASE_URL=postgres://…)\n',
    );
    process.exitCode = 2;
    return;
  }
  const endRaw = opt('--end');
  const seed = Number(opt('--seed') ?? 1);
  const questions = generateMonth({
    days: Number(opt('--days') ?? 30),
    seed,
    end: endRaw ? Date.parse(endRaw) : Date.now(),
  });
  const labelSample = Number(opt('--sample') ?? 0);
  if (!(labelSample >= 0 && labelSample <= 1)) {
    process.stderr.write(`--sample takes a share from 0 to 1, not ${opt('--sample')}\n`);
    process.exitCode = 2;
    return;
  }
  const log = await openQuestionLog({
    databaseUrl,
    sqlitePath: db,
    retentionDays: 3650,
    // The sample drawn from the seed too, so a month is the same for a seed.
    labelSample,
    random: seededRandom(seed + 1),
  });
  await writeMonth(log, questions);
  await log.close();
  const s = log.stats();
  process.stdout.write(
    `${questions.length} questions written to ${log.where} (${s.written} entries, ${s.dropped} dropped)\n`,
  );
  if (s.dropped > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
