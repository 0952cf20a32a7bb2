/**
 * The report page's template: its markup, style and chart script, filled by ./html.ts. Every
 * argument below is HTML already: text from the report is escaped by the caller, never here.
 *
 * A .ts module rather than an .html file: tsc copies no .html into dist/, and the Docker image
 * ships dist/ without src/.
 */

const STYLE = `
  body {
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
    margin: 0;
    color: #1d1c1d;
    background: #f8f8f8;
  }
  header { background: #3f0e40; color: #fff; padding: 18px 28px; }
  header h1 { margin: 0; font-size: 20px; font-weight: 600; }
  header p { margin: 4px 0 0; opacity: .8; }
  main { padding: 20px 28px 40px; max-width: 1280px; }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(170px, 1fr));
    gap: 12px;
    margin-bottom: 20px;
  }
  .card, section { background: #fff; border: 1px solid #e2e2e2; border-radius: 8px; padding: 14px 16px; }
  .card .label { color: #616061; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .card .value { font-size: 26px; font-weight: 700; margin: 2px 0; }
  .card .note { color: #616061; font-size: 12px; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-bottom: 16px; }
  section { margin-bottom: 16px; }
  section h2 { font-size: 15px; margin: 0 0 10px; }
  .chart { position: relative; height: 280px; }
  .chart.tall { height: 420px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
  th { font-size: 12px; color: #616061; font-weight: 600; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
`;

/** The charts, drawn by the inlined Chart.js from the data in #report-data. */
const CHARTS = `
(function () {
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var purple = '#4a154b', red = '#e01e5a', yellow = '#ecb22e', green = '#2eb67d', blue = '#36c5f0';
  var palette = [purple, blue, green, yellow, red, '#1264a3', '#9b59b6', '#616061'];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  new Chart(document.getElementById('by-day'), {
    type: 'bar',
    data: {
      labels: d.byDay.map(function (x) { return x.day; }),
      datasets: [
        {
          label: 'answered and other',
          data: d.byDay.map(function (x) { return x.count - x.fallback; }),
          backgroundColor: purple,
          stack: 'q'
        },
        {
          label: 'fallback',
          data: d.byDay.map(function (x) { return x.fallback; }),
          backgroundColor: yellow,
          stack: 'q'
        },
        {
          label: 'not helpful (right axis)',
          data: d.byDay.map(function (x) { return x.notHelpful; }),
          type: 'line',
          yAxisID: 'y1',
          borderColor: red,
          backgroundColor: red,
          pointRadius: 2
        }
      ]
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'questions' } },
        y1: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: 'not helpful' }
        }
      }
    }
  });
  function hbar(id, rows, label, color) {
    new Chart(document.getElementById(id), {
      type: 'bar',
      data: {
        labels: rows.map(function (x) { return x.label || x.key || '(none)'; }),
        datasets: [
          { label: label, data: rows.map(function (x) { return x.count; }), backgroundColor: color }
        ]
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true } }
      }
    });
  }
  hbar('by-intent', d.byIntent, 'questions', purple);
  hbar('by-province', d.byProvince.filter(function (x) { return x.key; }).slice(0, 20), 'questions', blue);
  function doughnut(id, rows) {
    new Chart(document.getElementById(id), {
      type: 'doughnut',
      data: {
        labels: rows.map(function (x) { return x.key || '(none)'; }),
        datasets: [{ data: rows.map(function (x) { return x.count; }), backgroundColor: palette }]
      },
      options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' } } }
    });
  }
  doughnut('by-surface', d.bySurface);
  doughnut('by-outcome', d.outcomes);
})();
`;

/** One figure at the top of the page. */
export const card = (label: string, value: string, note: string) =>
  `<div class="card"><div class="label">${label}</div>` +
  `<div class="value">${value}</div><div class="note">${note}</div></div>`;

/** A table row; the cells at `numeric` are right-aligned like their headers (class "n"). */
export const row = (cells: string[], numeric: readonly number[] = []) =>
  `<tr>${cells.map((c, i) => (numeric.includes(i) ? `<td class="n">${c}</td>` : `<td>${c}</td>`)).join('')}</tr>`;

/** A row of the unanswered questions: the counts, the suggested intent, the group and its examples, when last asked. */
export const unansweredRow = (
  counts: string[],
  suggested: string,
  question: string,
  examples: string,
  lastAt: string,
) =>
  `<tr>${counts.map((c) => `<td class="n">${c}</td>`).join('')}<td>${suggested}</td>` +
  `<td>${question}<br><small>${examples}</small></td><td>${lastAt}</td></tr>`;

interface PageParts {
  /** The Content-Security-Policy. */
  csp: string;
  /** The period, as the title says it. */
  period: string;
  /** The database read. */
  where: string;
  /** The figures (card), one a line. */
  cards: string;
  /** How many questions named no province, or '' for none. */
  noProvince: string;
  /** The confidence threshold. */
  threshold: string;
  /** How many questions went unanswered, and how many of them have no text ('' for none). */
  unanswered: string;
  withoutText: string;
  /** The accuracy on real traffic, a whole section, or '' before any label. */
  accuracy: string;
  /** "What to add next", a whole section, or '' with nothing to say. */
  next: string;
  /** Table rows of the provinces with their failure rates. */
  provinceRows: string;
  /** Table rows (unansweredRow, row), one a line. */
  unansweredRows: string;
  slowestRows: string;
  /** Chart.js's source, with nothing in it that ends its <script> element. */
  chartJs: string;
  /** The report as JSON that can sit in a <script> element. */
  data: string;
}

export function page(p: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${p.csp}">
<title>icp-bot questions, ${p.period}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>icp-bot: questions and how they were answered</h1>
<p>${p.period} · ${p.where}</p>
</header>
<main>
<div class="cards">
${p.cards}
</div>
${p.next}<section><h2>Questions by day (UTC)</h2><div class="chart"><canvas id="by-day"></canvas></div></section>
${p.accuracy}<div class="grid">
<section><h2>By intent</h2><div class="chart tall"><canvas id="by-intent"></canvas></div></section>
<section>
<h2>By province${p.noProvince ? ` <small>(${p.noProvince} questions named none)</small>` : ''}</h2>
<div class="chart tall"><canvas id="by-province"></canvas></div>
</section>
</div>
<section><h2>Provinces: volume and failures</h2>
<table id="provinces">
<thead><tr><th>province</th><th class="n">questions</th><th class="n">fallback rate</th>
<th class="n">not helpful</th><th class="n">of rated</th></tr></thead>
<tbody>
${p.provinceRows}
</tbody></table></section>
<div class="grid">
<section><h2>By surface</h2><div class="chart"><canvas id="by-surface"></canvas></div></section>
<section><h2>Outcomes</h2><div class="chart"><canvas id="by-outcome"></canvas></div></section>
</div>
<section><h2>Top unanswered questions</h2>
<p>The fallback, a confidence below ${p.threshold}, or rated "Not helpful": ${p.unanswered} questions${
    p.withoutText ? `, ${p.withoutText} of them without a stored text` : ''
  }.
Grouped across languages by what the bot read in them (its concepts); a question in which it read
nothing, or logged before it stored its reading, by its text in lower case, whitespace collapsed,
digits as #.</p>
<table id="unanswered">
<thead><tr>
<th class="n">count</th><th class="n">fallback</th><th class="n">low conf.</th><th class="n">not helpful</th>
<th class="n">handed off</th><th class="n">en</th><th class="n">zh</th><th>suggested intent</th>
<th>what the bot read / question, and the newest of each language</th><th>last asked (UTC)</th>
</tr></thead>
<tbody>
${p.unansweredRows}
</tbody></table></section>
<section><h2>Slowest answers</h2>
<table id="slowest">
<thead><tr>
<th class="n">reply time</th><th>when (UTC)</th><th>surface</th><th>intent</th><th>province</th><th>outcome</th>
<th>ref</th>
</tr></thead>
<tbody>
${p.slowestRows}
</tbody></table></section>
</main>
<script>
${p.chartJs}
</script>
<script type="application/json" id="report-data">${p.data}</script>
<script>${CHARTS}</script>
</body>
</html>
`;
}
