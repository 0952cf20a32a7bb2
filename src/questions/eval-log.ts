/**
 * `icp-bot eval --log [--since 90d] [--db …] [--json]`: the accuracy on real traffic, from the
 * question log's sampled questions that people labelled (./live-accuracy.ts). Read-only.
 */
import { UsageError } from '../errors.js';
import { commandTarget, openQuestionDb, parseArgs, type CommandIo } from './command.js';
import { liveAccuracy, share, type LiveAccuracy } from './live-accuracy.js';
import { parseSince } from './report/queries.js';

const USAGE = 'icp-bot eval --log [--since 90d] [--db PATH] [--json]';
/** The schema with labels and the sample (migrations 3 and 4). */
const LABELS_SCHEMA = 4;

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

export function formatLiveAccuracy(a: LiveAccuracy, where: string, since: number, until: number): string {
  const period = `${new Date(since).toISOString().slice(0, 16)} to ${new Date(until).toISOString().slice(0, 16)} UTC`;
  const out = [`Accuracy on real traffic: ${where}`, period.replace(/T/g, ' '), ''];
  if (a.labelled === 0) {
    out.push(
      'No sampled question has a label yet. Set LABEL_SAMPLE (0.02 keeps 2 % of the answered questions), then',
      'label what `icp-bot training export --unlabelled` offers with "why": ["sampled"].',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(
    `Sampled questions people labelled: ${a.labelled}`,
    `  intent        ${pad(`${a.intentRight} of ${a.labelled}`, 12)} ${pad(share(a.intentRight, a.labelled), 6, true)}`,
    `  answer label  ${pad(`${a.labelRight} of ${a.labelled}`, 12)} ${pad(share(a.labelRight, a.labelled), 6, true)}` +
      '  (deregister, forgot_password, lost_record_number, other)',
    `  province      ${pad(`${a.provinceRight} of ${a.withProvince}`, 12)} ${pad(share(a.provinceRight, a.withProvince), 6, true)}` +
      '  (where the label names one)',
    '',
    'By week (weeks from Monday, UTC)',
    `  ${pad('week', 10)}  ${pad('labelled', 8, true)}  ${pad('intent', 6, true)}  ${pad('label', 6, true)}  ${pad('province', 8, true)}`,
    ...a.weeks.map(
      (w) =>
        `  ${w.week}  ${pad(String(w.labelled), 8, true)}  ${pad(share(w.intentRight, w.labelled), 6, true)}  ` +
        `${pad(share(w.labelRight, w.labelled), 6, true)}  ${pad(share(w.provinceRight, w.withProvince), 8, true)}`,
    ),
  );
  if (a.confusions.length)
    out.push(
      '',
      'Commonest wrong readings (label → read)',
      ...a.confusions.map((c) => `  ${c.count}  ${c.label} → ${c.read}`),
    );
  return `${out.join('\n')}\n`;
}

/** The command: exit code 0; a UsageError or DatabaseError otherwise (exit 2). */
export async function evalLogCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArgs(args, { usage: USAGE, values: ['--since', '--db'], flags: ['--log', '--json'] });
  if (parsed.positional.length) throw new UsageError(`eval --log takes only options, not a file: ${USAGE}`);
  const now = io.now ?? Date.now();
  const since = parseSince(parsed.values.get('--since') ?? '90d', now);
  const db = await openQuestionDb(commandTarget(parsed.values.get('--db'), io.env), {
    write: false,
    needs: LABELS_SCHEMA,
  });
  try {
    const a = await liveAccuracy(db, since, now);
    io.out(
      parsed.flags.has('--json')
        ? `${JSON.stringify({ where: db.where, since: new Date(since).toISOString(), until: new Date(now).toISOString(), ...a }, null, 2)}\n`
        : formatLiveAccuracy(a, db.where, since, now),
    );
  } finally {
    await db.close();
  }
  return 0;
}
