/**
 * The deployment files, checked statically: these machines have a Docker client but no daemon, so
 * the Dockerfile and compose.yaml are parsed and cross-checked against the project instead of built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../src/paths.js';
import { questionLogSettings } from '../src/questions/log.js';
import { DEFAULT_PORT, loadConfig } from '../src/slack/config.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const sp = l.search(/\s/);
      return { op: l.slice(0, sp).toUpperCase(), args: l.slice(sp + 1).trim() };
    });
}

/** The instructions of each stage, by the stage's name. */
function stages(list: Instruction[]): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | null = null;
  for (const i of list) {
    if (i.op === 'FROM') {
      const name = /\bAS\s+(\S+)$/i.exec(i.args)?.[1] ?? `stage${out.size}`;
      current = [];
      out.set(name, current);
    } else {
      if (!current) throw new Error(`${i.op} before FROM`);
      current.push(i);
    }
  }
  return out;
}

describe('Dockerfile', () => {
  const list = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const byStage = stages(list);
  const runtime = [...byStage.values()].at(-1)!;
  const ops = (op: string) => runtime.filter((i) => i.op === op);

  it('builds in one stage and runs from another', () => {
    expect([...byStage.keys()]).toEqual(['build', 'runtime']);
    const build = byStage.get('build')!;
    expect(build.some((i) => i.op === 'RUN' && /npm ci\b/.test(i.args))).toBe(true);
    expect(build.some((i) => i.op === 'RUN' && /npm run build/.test(i.args))).toBe(true);
    // The runtime stage installs nothing and copies only from the build stage.
    expect(ops('RUN')).toEqual([]);
    for (const c of ops('COPY')) expect(c.args).toMatch(/^--from=build\b/);
  });

  it('copies into the build what exists in the repository, and into the runtime what main.js reads', () => {
    for (const c of byStage.get('build')!.filter((i) => i.op === 'COPY')) {
      const sources = c.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const s of sources) expect(existsSync(join(ROOT, s)), s).toBe(true);
    }
    const copied = ops('COPY').map((c) => c.args.split(/\s+/).at(-1)!.replace(/^\.\//, ''));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'node_modules', 'dist', 'data', 'intents']));
    expect(ops('CMD')[0]?.args).toContain('dist/src/main.js');
    expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true);
  });

  it('builds the native SQLite module, and gives the bot a writable place for its question log', () => {
    const build = byStage.get('build')!;
    const ci = build.findIndex((i) => i.op === 'RUN' && /npm ci\b/.test(i.args));
    // npm ci runs with --ignore-scripts, so better-sqlite3's own install script must be run after it.
    expect(build[ci]!.args).toMatch(/npm ci\b.*--ignore-scripts.*&&\s*npm rebuild better-sqlite3\b/);
    expect(
      build
        .slice(0, ci)
        .some((i) => i.op === 'RUN' && /apt-get install[^&]*\bpython3\b[^&]*\bmake\b[^&]*\bg\+\+/.test(i.args)),
    ).toBe(true);
    const dataLocal = ops('COPY').find((c) => c.args.split(/\s+/).at(-1) === './data-local');
    expect(dataLocal?.args).toMatch(/^--from=build --chown=node:node \/app\/data-local\b/);
    expect(build.some((i) => i.op === 'RUN' && /mkdir -p data-local/.test(i.args))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = ops('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('checks health on /readyz of the port it exposes', () => {
    const hc = ops('HEALTHCHECK');
    expect(hc).toHaveLength(1);
    expect(hc[0]!.args).toMatch(/\/(readyz|healthz)/);
    expect(ops('EXPOSE').map((e) => e.args)).toEqual([String(DEFAULT_PORT)]);
    expect(ops('ENV').some((e) => e.args.includes(`PORT=${DEFAULT_PORT}`))).toBe(true);
  });

  it('leaves secrets and local files out of the image', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/);
    for (const p of ['.env', 'node_modules', '.git']) expect(ignored).toContain(p);
    expect(list.some((i) => /SLACK_(BOT_TOKEN|SIGNING_SECRET)\s*=/.test(i.args))).toBe(false);
  });
});

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  expose?: string[];
  configs?: { source: string; target: string }[];
  healthcheck?: { test: string[] };
}

describe('compose.yaml', () => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    configs: Record<string, { content: string }>;
  };
  const services = compose.services;
  const bots = Object.entries(services).filter(([, s]) => s.build === '.');
  const lbConf = compose.configs['nginx-conf']!.content;

  it('has Redis with a health check, two bot instances and a load balancer', () => {
    expect(services.redis?.image).toMatch(/^redis:7/);
    expect(services.redis?.healthcheck?.test.join(' ')).toContain('ping');
    expect(services.redis?.command).toContain('--appendonly');
    expect(bots.map(([name]) => name)).toEqual(['bot-a', 'bot-b']);
    expect(services.lb?.image).toMatch(/^nginx:/);
    expect(services.lb?.ports).toHaveLength(1);
  });

  it('gives every bot settings the bot itself accepts, on the shared Redis, secrets from the environment', () => {
    for (const [name, s] of bots) {
      const env = s.environment!;
      expect(env.SLACK_BOT_TOKEN, name).toMatch(/^\$\{SLACK_BOT_TOKEN:\?/);
      expect(env.SLACK_SIGNING_SECRET, name).toMatch(/^\$\{SLACK_SIGNING_SECRET:\?/);
      // The real settings loader, with the interpolated secrets stood in for.
      const result = loadConfig({ ...env, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 'x' });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) continue;
      expect(new URL(result.config.redisUrl!).hostname).toBe('redis');
      expect(s.depends_on).toMatchObject({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      // One question log for all instances, in the compose file's PostgreSQL.
      const questions = questionLogSettings({ ...env, DATABASE_URL: env.DATABASE_URL!.replace(/\$\{[^}]*\}/, 'pw') });
      expect(questions.ok && new URL(questions.settings.databaseUrl!).hostname).toBe('postgres');
      expect(s.expose).toContain(String(result.config.port));
    }
    const prefixes = new Set(bots.map(([, s]) => s.environment!.REDIS_PREFIX));
    expect(prefixes.size).toBe(1);
  });

  it('balances over exactly the bot instances, on their port, and waits for them', () => {
    const upstream = [...lbConf.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => [m[1], Number(m[2])]);
    expect(upstream).toEqual(bots.map(([name, s]) => [name, Number(s.environment!.PORT)]));
    expect(services.lb?.depends_on).toEqual(bots.map(([name]) => name));
    expect(services.lb?.configs?.[0]?.source).toBe('nginx-conf');
    const published = Number(services.lb!.ports![0]!.split(':').at(-1));
    expect(lbConf).toMatch(new RegExp(`listen\\s+${published};`));
    // `$$` is compose's escape for a literal `$` in nginx's own variables.
    expect(lbConf).not.toMatch(/[^$]\$host/);
  });
});
