/**
 * Accuracy on real traffic: the bot's stored reading (intent, province) of the sampled questions
 * (LABEL_SAMPLE) scored against the labels people gave them. Only sampled rows count: the missed
 * questions are labelled too, but a set of failures says nothing about how often the bot is right.
 *
 * Counted in SQL by UTC day (the same text for SQLite and PostgreSQL) and rolled into weeks here,
 * so memory stays bounded by the days of the period; the confusions are the top pairs only.
 */
import { CORE_INTENTS } from '../types.js';
import { num, type Db } from './db.js';

/** One period's scores: `labelled` sampled questions, how many were read right. */
export interface AccuracyCounts {
  labelled: number;
  /** The intent id the bot read is the label's. */
  intentRight: number;
  /** The same of the four evaluation labels (deregister, forgot_password, lost_record_number, other). */
  labelRight: number;
  /** Of those whose label names a province, how many the bot read with that province. */
  withProvince: number;
  provinceRight: number;
}

export interface WeekAccuracy extends AccuracyCounts {
  /** The Monday (UTC) the week starts on, YYYY-MM-DD. */
  week: string;
}

export interface Confusion {
  label: string;
  read: string;
  count: number;
}

export interface LiveAccuracy extends AccuracyCounts {
  weeks: WeekAccuracy[];
  /** The commonest wrong readings, biggest first. */
  confusions: Confusion[];
}

const CORE = CORE_INTENTS.map((i) => `'${i}'`).join(', ');
/** The sampled, labelled questions of the period (since, until). */
const SAMPLED = 'sampled = 1 AND label_intent IS NOT NULL AND at_ms >= ? AND at_ms < ?';

const SQL = {
  byDay: `SELECT day, COUNT(*) AS n,
       SUM(CASE WHEN intent = label_intent THEN 1 ELSE 0 END) AS intent_ok,
       SUM(CASE WHEN intent = label_intent OR (intent NOT IN (${CORE}) AND label_intent NOT IN (${CORE}))
           THEN 1 ELSE 0 END) AS label_ok,
       SUM(CASE WHEN label_province IS NOT NULL THEN 1 ELSE 0 END) AS with_province,
       SUM(CASE WHEN label_province IS NOT NULL AND province = label_province THEN 1 ELSE 0 END) AS province_ok
     FROM questions WHERE ${SAMPLED} GROUP BY day`,
  confusions: (limit: number, collate: string) => `SELECT label_intent, intent, COUNT(*) AS n
     FROM questions WHERE ${SAMPLED} AND intent <> label_intent
     GROUP BY label_intent, intent ORDER BY n DESC, label_intent${collate}, intent${collate} LIMIT ${limit}`,
};

const DAY = 86_400_000;

/** The Monday of a UTC day. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
  return new Date(monday).toISOString().slice(0, 10);
}

const zero = (): AccuracyCounts => ({ labelled: 0, intentRight: 0, labelRight: 0, withProvince: 0, provinceRight: 0 });

function add(to: AccuracyCounts, row: Record<string, unknown>): void {
  to.labelled += num(row['n']);
  to.intentRight += num(row['intent_ok']);
  to.labelRight += num(row['label_ok']);
  to.withProvince += num(row['with_province']);
  to.provinceRight += num(row['province_ok']);
}

/** The live accuracy of the period: totals, week by week (oldest first), and the top confusions. */
export async function liveAccuracy(db: Db, since: number, until: number, top = 10): Promise<LiveAccuracy> {
  const total = zero();
  const weeks = new Map<string, WeekAccuracy>();
  for (const row of await db.all(SQL.byDay, [since, until])) {
    const week = weekOf(String(row['day']));
    const w = weeks.get(week) ?? { week, ...zero() };
    add(w, row);
    add(total, row);
    weeks.set(week, w);
  }
  const collate = db.dialect === 'postgres' ? ' COLLATE "C"' : '';
  const confusions = (await db.all(SQL.confusions(Math.max(1, Math.floor(top)), collate), [since, until])).map(
    (row) => ({ label: String(row['label_intent']), read: String(row['intent']), count: num(row['n']) }),
  );
  return {
    ...total,
    weeks: [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1)),
    confusions,
  };
}

/** A share as the report prints it, or '-' with nothing to share. */
export const share = (right: number, of: number): string => (of > 0 ? `${((right / of) * 100).toFixed(1)}%` : '-');
