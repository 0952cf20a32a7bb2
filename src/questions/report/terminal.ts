/** The report (./types.ts) as a table for a terminal: what `icp-bot report` prints. */
import { int, ms, pct, provinceLabel, utcMinute } from './format.js';
import { share } from '../live-accuracy.js';
import type { QuestionReport } from './types.js';

/** Text a person typed, safe on a terminal: no control characters (escape sequences), no bidi overrides. */
function plain(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

/** Display width: CJK and other wide characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;
const bar = (n: number, max: number, cols = 30) => (max > 0 ? '█'.repeat(Math.round((n / max) * cols)) : '');

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) =>
    `  ${r.map((c, i) => (align[i] === 'r' ? padStart(c, widths[i]!) : padEnd(c, widths[i]!))).join('  ')}`.trimEnd(),
  );
}

const weekday = (day: string) =>
  ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${day}T00:00:00Z`).getUTCDay()]!;

export function formatQuestionReport(r: QuestionReport): string {
  const out = summary(r);
  if (r.total === 0) out.push('', 'No questions in this period.');
  else
    out.push(
      ...nextSteps(r),
      ...byDay(r),
      ...liveAccuracy(r),
      ...byIntent(r),
      ...byProvince(r),
      ...bySurface(r),
      ...unanswered(r),
      ...slowest(r),
    );
  return out.join('\n') + '\n';
}

function summary(r: QuestionReport): string[] {
  return [
    `Question log report: ${r.where}`,
    `${utcMinute(r.since)} to ${utcMinute(r.until)} UTC`,
    '',
    ...table(
      [
        ['Questions', int(r.total), ''],
        ['Fallback', int(r.fallback), `${pct(r.fallbackRate)} of questions`],
        [
          'Not helpful',
          int(r.notHelpful),
          `${pct(r.notHelpfulRate)} of ${int(r.rated)} rated (${int(r.helpful)} helpful)`,
        ],
        ['Low confidence', int(r.lowConfidence), `confidence below ${r.lowConfidenceThreshold}`],
        ['Handed off', int(r.handedOff), ''],
        [
          'Reply time',
          ms(r.latency.p50),
          `median; p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`,
        ],
      ],
      ['l', 'r', 'l'],
    ),
  ];
}

/** A rate, or '-' when there is nothing to divide by. */
const rate = (n: number, of: number) => (of > 0 ? pct(n / of) : '-');

/** The short list at the top: the biggest unanswered groups, the provinces that fail most. */
function nextSteps(r: QuestionReport): string[] {
  const { groups, provinces, minVolume } = r.next;
  if (!groups.length && !provinces.length) return [];
  return [
    '',
    'What to add next',
    ...groups.map(
      (g) =>
        `  - ${int(g.count)} unanswered like "${plain(g.examples.join('" / "'), 100)}": ` +
        (g.suggested ? `teach them as ${g.suggested}` : 'no intent fits: a new one?'),
    ),
    ...provinces.map(
      (p) =>
        `  - ${provinceLabel(p.key)}: ${pct(p.failureRate)} of ${int(p.count)} questions failed ` +
        `(fallback ${int(p.fallback)}, Not helpful ${int(p.notHelpful)})`,
    ),
    ...(provinces.length ? [] : [`  (no province with ${int(minVolume)}+ questions failed)`]),
  ];
}

function byDay(r: QuestionReport): string[] {
  const maxDay = Math.max(...r.byDay.map((d) => d.count));
  return [
    '',
    'By day (UTC)',
    ...table(
      [
        ['day', '', 'questions', 'fallback', 'not helpful', ''],
        ...r.byDay.map((d) => [
          d.day,
          weekday(d.day),
          int(d.count),
          int(d.fallback),
          int(d.notHelpful),
          bar(d.count, maxDay),
        ]),
      ],
      ['l', 'l', 'r', 'r', 'r', 'l'],
    ),
  ];
}

/** Week by week, once people labelled sampled questions. */
function liveAccuracy(r: QuestionReport): string[] {
  const a = r.liveAccuracy;
  if (!a || a.labelled === 0) return [];
  return [
    '',
    `Accuracy on real traffic (the sampled questions people labelled: ${int(a.labelled)})`,
    ...table(
      [
        ['week from', 'labelled', 'intent right', 'answer label right', 'province right'],
        ...a.weeks.map((w) => [
          w.week,
          int(w.labelled),
          share(w.intentRight, w.labelled),
          share(w.labelRight, w.labelled),
          share(w.provinceRight, w.withProvince),
        ]),
        [
          'all',
          int(a.labelled),
          share(a.intentRight, a.labelled),
          share(a.labelRight, a.labelled),
          share(a.provinceRight, a.withProvince),
        ],
      ],
      ['l', 'r', 'r', 'r', 'r'],
    ),
  ];
}

function byIntent(r: QuestionReport): string[] {
  return [
    '',
    'By intent',
    ...table(
      [
        ['intent', 'questions', 'share', 'fallback', 'low conf.', 'not helpful', 'of rated'],
        ...r.byIntent.map((i) => [
          i.key,
          int(i.count),
          pct(i.count / r.total),
          rate(i.fallback, i.count),
          int(i.lowConfidence),
          int(i.notHelpful),
          rate(i.notHelpful, i.rated),
        ]),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
}

function byProvince(r: QuestionReport): string[] {
  return [
    '',
    'By province',
    ...table(
      [
        ['province', 'questions', 'share', 'fallback', 'not helpful', 'of rated'],
        ...r.byProvince.map((p) => [
          provinceLabel(p.key),
          int(p.count),
          pct(p.count / r.total),
          rate(p.fallback, p.count),
          int(p.notHelpful),
          rate(p.notHelpful, p.rated),
        ]),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
}

function bySurface(r: QuestionReport): string[] {
  return [
    '',
    'By surface',
    ...table(
      [
        ['surface', 'questions', 'share'],
        ...r.bySurface.map((s) => [s.key || '-', int(s.count), pct(s.count / r.total)]),
      ],
      ['l', 'r', 'r'],
    ),
  ];
}

function unanswered(r: QuestionReport): string[] {
  const out = [
    '',
    `Top unanswered questions (fallback, confidence below ${r.lowConfidenceThreshold}, or "Not helpful"): ` +
      `${int(r.unanswered.total)} questions`,
  ];
  if (r.unanswered.groups.length === 0) out.push('  none');
  else
    out.push(
      ...table(
        [
          [
            'count',
            'fallback',
            'low conf.',
            'not helpful',
            'en',
            'zh',
            'suggested intent',
            'what the bot read / question',
          ],
          ...r.unanswered.groups.map((g) => [
            int(g.count),
            int(g.fallback),
            int(g.lowConfidence),
            int(g.notHelpful),
            int(g.en),
            int(g.zh),
            g.suggested ?? '-',
            plain(g.text, 80),
          ]),
        ],
        ['r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
      ),
    );
  if (r.unanswered.withoutText > 0) out.push(`  (${int(r.unanswered.withoutText)} without a stored text)`);
  return out;
}

function slowest(r: QuestionReport): string[] {
  return [
    '',
    'Slowest answers',
    ...table(
      [
        ['reply time', 'when (UTC)', 'surface', 'intent', 'province', 'outcome', 'ref'],
        ...r.slowest.map((s) => [
          ms(s.latencyMs),
          utcMinute(s.at),
          s.surface,
          s.intent,
          s.province ?? '-',
          s.outcome,
          plain(s.ref ?? '-', 40),
        ]),
      ],
      ['r', 'l', 'l', 'l', 'l', 'l', 'l'],
    ),
  ];
}
