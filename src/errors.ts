/**
 * Every error the bot raises on purpose: a small set of named classes with stable codes, and all
 * their messages written here. No message ever includes a token, a secret or a signature.
 */

export type ErrorCode = 'E_DATA' | 'E_CONFIG' | 'E_USAGE' | 'E_REQUEST';

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

/** The environment lacks settings the bot needs, or has malformed ones. */
export class ConfigError extends IcpBotError {
  constructor(
    message: string,
    readonly missing: string[] = [],
  ) {
    super('E_CONFIG', message);
  }
}

/** The command line was used wrongly. */
export class UsageError extends IcpBotError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** An HTTP request to the bot was rejected (bad signature, malformed body, too large). */
export class RequestError extends IcpBotError {
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    readonly reason: string,
  ) {
    super('E_REQUEST', messages.request(status, reason));
  }
}

export const messages = {
  data: (file: string, field: string, reason: string) =>
    `${file}: ${field || '(file)'}: ${reason}`,
  request: (status: number, reason: string) => `request rejected (${status}): ${reason}`,
  missingSettings: (names: { name: string; where: string }[]) =>
    [
      `Missing Slack setting${names.length > 1 ? 's' : ''}:`,
      ...names.map((n) => `  ${n.name}: ${n.where}`),
      'Set them in the environment or in a .env file (see README, "Install in a Slack workspace").',
    ].join('\n'),
  unknownCommand: (cmd: string) => `unknown command "${cmd}". Try: icp-bot help`,
  badJsonLine: (line: number, reason: string) => `line ${line}: ${reason}`,
} as const;
