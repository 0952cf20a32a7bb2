/**
 * Every error the bot raises on purpose: a small set of named classes with stable codes, and the
 * messages a person reads about a problem (settings, the command line, refused HTTP requests, the
 * "file: field: reason" form of data errors, whose reasons the loaders give). No message ever
 * includes a token, a secret or a signature.
 */

type ErrorCode = 'E_DATA' | 'E_USAGE' | 'E_DB';

export class IcpBotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file in data/ or intents/ is missing, unreadable or breaks its schema. */
export class DataError extends IcpBotError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super('E_DATA', messages.data(file, field, reason));
  }
}

/** The command line was used wrongly. */
export class UsageError extends IcpBotError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/**
 * The question log's database cannot be used (unreachable, not a question log, a newer schema).
 * Its message names the database by `where` (a SQLite path, or host:port/database: never a
 * user name or password) and a reason already cleaned of the connection URL.
 */
export class DatabaseError extends IcpBotError {
  constructor(
    message: string,
    /** The cause alone, already cleaned (for a log line that names the database itself). */
    readonly reason?: string,
  ) {
    super('E_DB', message);
  }
}

export const messages = {
  data: (file: string, field: string, reason: string) => `${file}: ${field || '(file)'}: ${reason}`,
  /** Settings (src/slack/config.ts): each problem, then the text printed before exit code 2. */
  settingNotSet: (name: string, where: string) => `${name} is not set — ${where}`,
  settingNotSlackId: (name: string, what: string) =>
    `${name} must be ${what} (in Slack: the channel's or group's details, at the bottom)`,
  settingNeeds: (name: string, other: string) => `${name} needs ${other} too`,
  settingNotAppToken: (name: string) =>
    `${name} must be an app-level token (starts with xapp-, scope connections:write): https://api.slack.com/apps → your app → Basic Information → App-Level Tokens`,
  settingNotHttpUrl: (name: string, value: string) => `${name} is not an http(s) URL: ${JSON.stringify(value)}`,
  // Never the URL itself: it may carry a password.
  settingNotRedisUrl: (name: string) => `${name} must be a redis:// or rediss:// URL`,
  roleNeedsRedis: (role: string) =>
    `ICP_ROLE=${role} needs REDIS_URL (a web instance and a worker share work only through Redis)`,
  settingNotOneOf: (name: string, allowed: readonly string[]) => `${name} must be one of ${allowed.join(', ')}`,
  settingNotShare: (name: string, raw: string) =>
    `${name} must be a share from 0 to 1 (0.02 keeps 2 % of the answered questions), got ${JSON.stringify(raw)}`,
  settingNotWholeNumber: (name: string, min: number, max: number, raw: string) =>
    `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
  cannotStart: (problems: readonly string[]) =>
    [
      'icp-bot cannot start: missing or invalid settings.',
      ...problems.map((p) => `  - ${p}`),
      'Set them in the environment or in a .env file next to package.json (see README, "Install in Slack").',
    ].join('\n'),
  /** The body of an HTTP refusal (the reason code goes to the log). */
  refused: (status: number) => REFUSED[status] ?? 'refused',
  /** The question log (src/questions/log.ts, src/questions/db.ts) and `icp-bot report`. */
  settingNotPostgresUrl: (name: string) => `${name} must be a postgres:// or postgresql:// URL`,
  questionDbFailed: (where: string, reason: string) => `question log at ${where}: ${reason}`,
  noQuestionLog: (where: string) =>
    `no question log at ${where}: nothing recorded there yet, or the wrong QUESTION_DB, DATABASE_URL or --db`,
  schemaTooNew: (where: string, found: number, known: number) =>
    `question log at ${where} has schema version ${found}, newer than this icp-bot knows (${known}): upgrade icp-bot`,
  questionLogFailing: (where: string, reason: string, limit: number) =>
    `question log at ${where} is failing (${reason}): answers go on; up to ${limit} entries wait in memory and are retried, older ones are dropped and counted`,
  questionLogRecovered: (where: string, lost: number, seconds: number) =>
    `question log at ${where} is writing again after ${seconds} s; ${lost} ${lost === 1 ? 'entry was' : 'entries were'} lost`,
  questionLogClosed: (where: string, lost: number) =>
    `question log at ${where} closed with ${lost} ${lost === 1 ? 'entry' : 'entries'} not written`,
  badSince: (raw: string) =>
    `--since takes a duration or a date: 7d, 24h, 2w or 2026-11-01, got ${JSON.stringify(raw)}`,
  optionNeedsValue: (option: string, example: string) => `${option} needs a value: ${example}`,
  unknownOption: (option: string, known: readonly string[], example: string) =>
    `unknown option ${JSON.stringify(option)}: this command takes ${known.join(', ')}: ${example}`,
  schemaTooOld: (where: string, found: number, needed: number) =>
    `question log at ${where} has schema version ${found}; this needs ${needed}: start the upgraded bot once (or run icp-bot label), which migrates it`,
  /** icp-bot label (src/questions/label.ts). */
  unknownLabel: (what: 'intent' | 'province', value: string, valid: readonly string[]) =>
    `unknown ${what} ${JSON.stringify(value)}; the ${what === 'intent' ? 'intents' : 'provinces'} are: ${valid.join(', ')}`,
  badRef: (ref: string) =>
    `${JSON.stringify(ref.slice(0, 60))} is not a question ref: copy one from icp-bot training export --unlabelled`,
  unknownRef: (ref: string, where: string) =>
    `no question with ref ${JSON.stringify(ref)} in the question log at ${where} (older than RETENTION_DAYS, or never recorded): the refs to label are in icp-bot training export --unlabelled`,
  unknownCommand: (cmd: string) => `unknown command "${cmd}". Try: icp-bot help`,
  badJsonLine: (line: number, reason: string) => `line ${line}: ${reason}`,
} as const;

const REFUSED: Record<number, string> = {
  400: 'malformed request',
  401: 'invalid request signature',
  404: 'not found',
  405: 'method not allowed',
  413: 'request body too large',
  500: 'internal error',
  503: 'try again later',
};
