/**
 * What the question-log commands of icp-bot share (`report`, `label`, `training export`): their
 * options, and the database they read, the bot's own (DATABASE_URL, else QUESTION_DB) unless
 * --db names one. The commands take their environment and output as arguments, so tests run them
 * in-process.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseError, messages, UsageError } from '../errors.js';
import { isPostgresUrl, migrate, openDb, readableSchema, resolveSqlitePath, type Db, type DbTarget } from './db.js';
import { questionLogSettings } from './log.js';

export interface CommandIo {
  env: Record<string, string | undefined>;
  /** Writes to standard output. */
  out(text: string): void;
  /** The clock, for tests. */
  now?: number;
}

interface ArgSpec {
  /** The command's name and an example, for messages. */
  usage: string;
  /** Options that take a value (--db PATH). */
  values: readonly string[];
  /** Options without one (--unlabelled). */
  flags: readonly string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
  positional: string[];
}

/** Splits the words after the command; an unknown option or one without its value is a UsageError. */
export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { values: new Map(), flags: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (spec.values.includes(a)) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(messages.optionNeedsValue(a, spec.usage));
      out.values.set(a, v);
      i++;
    } else if (spec.flags.includes(a)) out.flags.add(a);
    else if (a.startsWith('--'))
      throw new UsageError(messages.unknownOption(a, [...spec.values, ...spec.flags], spec.usage));
    else out.positional.push(a);
  }
  return out;
}

/** The database: --db (a SQLite file or a postgres:// URL), else the bot's settings. */
export function commandTarget(dbArg: string | undefined, env: CommandIo['env']): DbTarget {
  if (dbArg) return isPostgresUrl(dbArg) ? { databaseUrl: dbArg } : { sqlitePath: resolve(dbArg) };
  const settings = questionLogSettings(env);
  if (!settings.ok) throw new UsageError(settings.problems.join('; '));
  return settings.settings.databaseUrl
    ? { databaseUrl: settings.settings.databaseUrl }
    : { sqlitePath: settings.settings.sqlitePath };
}

/**
 * Opens an existing question log: read-only, or to write (then migrated up, as the bot would on
 * start). Never creates one: a missing SQLite file or an empty database is "no question log".
 * Read-only, a schema older than `needs` (the columns a query reads) is said so, not queried.
 */
export async function openQuestionDb(target: DbTarget, opts: { write: boolean; needs?: number }): Promise<Db> {
  if (opts.write && !target.databaseUrl) {
    const path = resolveSqlitePath(target.sqlitePath);
    if (!existsSync(path)) throw new DatabaseError(messages.noQuestionLog(path));
  }
  const db = await openDb(target, { readonly: !opts.write });
  try {
    const version = await readableSchema(db);
    if (opts.write) await migrate(db);
    else if (opts.needs && version < opts.needs)
      throw new DatabaseError(messages.schemaTooOld(db.where, version, opts.needs));
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
