/**
 * The report (./types.ts) as a self-contained HTML page with charts, on the template in ./page.ts:
 * Chart.js's UMD build read from node_modules and inlined, the data as JSON in the page; no request
 * leaves the page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { int, ms, pct, provinceLabel, utcMinute } from './format.js';
import { card, page, row, unansweredRow } from './page.js';
import { share, type AccuracyCounts } from '../live-accuracy.js';
import type { QuestionReport } from './types.js';

/** Everything the page needs is in it: nothing may be fetched, only its own inline scripts and styles run. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/** Chart.js's UMD build as shipped in its package (resolved from this module, wherever npm put it). */
export function chartJsSource(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const dist = dirname(entry);
  for (const name of ['chart.umd.min.js', 'chart.umd.js']) {
    try {
      return readFileSync(join(dist, name), 'utf8');
    } catch {
      // The next name.
    }
  }
  throw new Error(`Chart.js's UMD build was not found next to ${entry}: reinstall with npm ci`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that can sit inside a <script> element: nothing in it can close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function reportHtml(r: QuestionReport, chartJs = chartJsSource()): string {
  // The charts label provinces by name; the page's script has no registry to look them up in.
  const data = { ...r, byProvince: r.byProvince.map((p) => ({ ...p, label: provinceLabel(p.key) })) };
  const noProvince = r.byProvince.find((p) => p.key === '')?.count ?? 0;
  return page({
    csp: CSP,
    period: escapeHtml(`${utcMinute(r.since)} – ${utcMinute(r.until)} UTC`),
    where: escapeHtml(r.where),
    cards: cards(r).join('\n'),
    noProvince: noProvince ? int(noProvince) : '',
    threshold: String(r.lowConfidenceThreshold),
    accuracy: accuracySection(r),
    next: nextSection(r),
    provinceRows: r.byProvince
      .map((x) =>
        row(
          [
            escapeHtml(provinceLabel(x.key)),
            int(x.count),
            x.count ? pct(x.fallback / x.count) : '-',
            int(x.notHelpful),
            x.rated ? pct(x.notHelpful / x.rated) : '-',
          ],
          [1, 2, 3, 4],
        ),
      )
      .join('\n'),
    unanswered: int(r.unanswered.total),
    withoutText: r.unanswered.withoutText ? int(r.unanswered.withoutText) : '',
    unansweredRows: r.unanswered.groups
      .map((g) =>
        unansweredRow(
          [g.count, g.fallback, g.lowConfidence, g.notHelpful, g.handedOff, g.en, g.zh].map(int),
          escapeHtml(g.suggested ?? '-'),
          escapeHtml(g.text),
          escapeHtml(g.examples.join(' / ')),
          escapeHtml(utcMinute(g.lastAt)),
        ),
      )
      .join('\n'),
    slowestRows: r.slowest
      .map((s) =>
        row(
          [ms(s.latencyMs), utcMinute(s.at), s.surface, s.intent, s.province ?? '-', s.outcome, s.ref ?? '-'].map(
            escapeHtml,
          ),
          [0],
        ),
      )
      .join('\n'),
    chartJs: chartJs.replace(/<\/script/gi, '<\\/script'),
    data: scriptJson(data),
  });
}

/** The short list at the top: the biggest unanswered groups, the provinces that fail most. */
function nextSection(r: QuestionReport): string {
  const { groups, provinces } = r.next;
  if (!groups.length && !provinces.length) return '';
  const items = [
    ...groups.map(
      (g) =>
        `<li><b>${int(g.count)}</b> unanswered like “${escapeHtml(g.examples.join('” / “'))}”: ` +
        (g.suggested ? `teach them as <code>${escapeHtml(g.suggested)}</code>` : 'no intent fits: a new one?') +
        '</li>',
    ),
    ...provinces.map(
      (x) =>
        `<li><b>${escapeHtml(provinceLabel(x.key))}</b>: ${pct(x.failureRate)} of ${int(x.count)} questions failed ` +
        `(fallback ${int(x.fallback)}, Not helpful ${int(x.notHelpful)})</li>`,
    ),
  ];
  return `<section id="next"><h2>What to add next</h2><ul>\n${items.join('\n')}\n</ul></section>\n`;
}

/** Week by week, once people labelled sampled questions: '' before. */
function accuracySection(r: QuestionReport): string {
  const a = r.liveAccuracy;
  if (!a || a.labelled === 0) return '';
  const cells = (label: string, c: AccuracyCounts) =>
    row(
      [
        escapeHtml(label),
        int(c.labelled),
        share(c.intentRight, c.labelled),
        share(c.labelRight, c.labelled),
        share(c.provinceRight, c.withProvince),
      ],
      [1, 2, 3, 4],
    );
  return `<section><h2>Accuracy on real traffic</h2>
<p>The bot's reading of the sampled questions (LABEL_SAMPLE) people labelled: ${int(a.labelled)} questions.</p>
<table id="accuracy"><thead><tr><th>week from (UTC)</th><th class="n">labelled</th><th class="n">intent right</th>
<th class="n">answer label right</th><th class="n">province right</th></tr></thead>
<tbody>
${[...a.weeks.map((w) => cells(w.week, w)), cells('all', a)].join('\n')}
</tbody></table></section>
`;
}

function cards(r: QuestionReport): string[] {
  const escaped = (label: string, value: string, note: string) =>
    card(escapeHtml(label), escapeHtml(value), escapeHtml(note));
  return [
    escaped('Questions', int(r.total), `${int(r.byDay.length)} days`),
    escaped('Fallback rate', pct(r.fallbackRate), `${int(r.fallback)} questions got the fallback`),
    escaped('Not helpful', pct(r.notHelpfulRate), `${int(r.notHelpful)} of ${int(r.rated)} rated answers`),
    escaped('Low confidence', int(r.lowConfidence), `confidence below ${r.lowConfidenceThreshold}`),
    escaped('Handed off', int(r.handedOff), 'to a person'),
    escaped('Reply time', ms(r.latency.p50), `median; p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}`),
  ];
}
