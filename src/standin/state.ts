/**
 * The workspace the stand-in pretends to be: users, channels (public, private `group`, `mpim`, and
 * one `im` per user with the bot), and messages with Slack-style `ts` / `thread_ts`, including
 * ephemeral messages that only one user sees. Bounded: each channel keeps its newest messages only.
 */

type ChannelKind = 'im' | 'channel' | 'group' | 'mpim';

export interface User {
  id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  bot_id?: string;
  /** A guest: multi-channel (`is_restricted`) or single-channel (`is_ultra_restricted` too). */
  guest?: 'multi' | 'single';
  /** A Slack Connect user's own team (another organisation); absent: the workspace's. */
  team_id?: string;
}

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  members: string[];
  /** For an `im`: the human on the other side of the DM. */
  user?: string;
}

interface Reaction {
  name: string;
  users: string[];
  count: number;
}

export interface Message {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  text: string;
  blocks?: unknown[];
  /** Set on ephemeral messages: the only user who sees it. */
  ephemeral_to?: string;
  edited?: { user: string; ts: string };
  subtype?: string;
  files?: unknown[];
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reactions?: Reaction[];
}

export type ChangeKind = 'created' | 'updated' | 'deleted';
type ChangeListener = (kind: ChangeKind, message: Message) => void;

export interface UserSpec {
  id: string;
  name: string;
  real_name?: string;
  is_bot?: boolean;
}
export interface ChannelSpec {
  id: string;
  name: string;
  kind?: ChannelKind;
  members?: string[];
}

interface WorkspaceOptions {
  teamId: string;
  botUserId: string;
  botId: string;
  botName: string;
  localUserId: string;
  users?: UserSpec[];
  channels?: ChannelSpec[];
  maxMessagesPerChannel?: number;
}

const DEFAULT_USERS: UserSpec[] = [
  { id: 'U0LOCAL', name: 'you', real_name: 'You (local user)' },
  { id: 'U0ALICE', name: 'alice', real_name: 'Alice Support' },
  { id: 'U0BOB', name: 'bob', real_name: 'Bob Customer' },
];

const DEFAULT_CHANNELS: ChannelSpec[] = [
  { id: 'C0GENERAL', name: 'general', kind: 'channel' },
  { id: 'G0PRIVATE', name: 'support-private', kind: 'group' },
  { id: 'G0MPIM', name: 'mpdm-you--alice--icpbot-1', kind: 'mpim' },
];

/** Monotonic Slack-style timestamps: "<unix seconds>.<6-digit sequence>", strictly increasing as strings. */
class TsClock {
  private sec = 0;
  private seq = 0;
  next(): string {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.sec) {
      this.sec = now;
      this.seq = 0;
    }
    this.seq += 1;
    if (this.seq > 999_999) {
      this.sec += 1;
      this.seq = 1;
    }
    return `${this.sec}.${String(this.seq).padStart(6, '0')}`;
  }
}

export class Workspace {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly localUserId: string;
  private readonly users = new Map<string, User>();
  private readonly channels = new Map<string, Channel>();
  private readonly dms = new Map<string, Channel>();
  private readonly messages = new Map<string, Message[]>();
  private readonly clock = new TsClock();
  private readonly maxPerChannel: number;
  private readonly listeners = new Set<ChangeListener>();

  constructor(opts: WorkspaceOptions) {
    this.teamId = opts.teamId;
    this.botUserId = opts.botUserId;
    this.botId = opts.botId;
    this.localUserId = opts.localUserId;
    this.maxPerChannel = opts.maxMessagesPerChannel ?? 2_000;
    this.users.set(opts.botUserId, {
      id: opts.botUserId,
      name: opts.botName,
      real_name: opts.botName,
      is_bot: true,
      bot_id: opts.botId,
    });
    for (const u of opts.users ?? DEFAULT_USERS) this.addUser(u);
    this.ensureUser(opts.localUserId);
    const everyone = [...this.users.keys()];
    for (const c of opts.channels ?? DEFAULT_CHANNELS) {
      this.channels.set(c.id, { id: c.id, name: c.name, kind: c.kind ?? 'channel', members: c.members ?? everyone });
    }
    for (const u of this.users.values()) if (!u.is_bot) this.dmWith(u.id);
  }

  nextTs(): string {
    return this.clock.next();
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addUser(u: UserSpec): User {
    const user: User = { id: u.id, name: u.name, real_name: u.real_name ?? u.name, is_bot: u.is_bot ?? false };
    this.users.set(u.id, user);
    return user;
  }

  /** Unknown user ids (e.g. a benchmark's many askers) join the workspace on first use. */
  ensureUser(id: string): User {
    return this.users.get(id) ?? this.addUser({ id, name: id.toLowerCase() });
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  /** Makes a user a guest (multi- or single-channel), or a full member again with null. */
  setGuest(id: string, guest: 'multi' | 'single' | null): void {
    const u = this.ensureUser(id);
    if (guest) u.guest = guest;
    else delete u.guest;
  }

  /** Makes a user someone from another organisation (Slack Connect: their own team id), or ours again with null. */
  setExternal(id: string, teamId: string | null): void {
    const u = this.ensureUser(id);
    if (teamId) u.team_id = teamId;
    else delete u.team_id;
  }

  allUsers(): User[] {
    return [...this.users.values()];
  }

  allChannels(): Channel[] {
    return [...this.channels.values()];
  }

  /** The DM between `userId` and the bot, created on first use (id `D` + the user id without its first letter). */
  dmWith(userId: string): Channel {
    const known = this.dms.get(userId);
    if (known) return known;
    this.ensureUser(userId);
    const c: Channel = {
      id: `D${userId.slice(1)}`,
      name: userId,
      kind: 'im',
      members: [userId, this.botUserId],
      user: userId,
    };
    this.channels.set(c.id, c);
    this.dms.set(userId, c);
    return c;
  }

  /** Looks a channel up by id, `#name`/name, or a user id (which means the DM with that user, as in chat.postMessage). */
  resolveChannel(ref: string): Channel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    if (/^[UW][A-Z0-9]+$/.test(ref) && this.users.has(ref)) return this.dmWith(ref);
    // A DM id of a known user (D0ALICE ↔ U0ALICE) opens that DM.
    if (/^D[A-Z0-9]+$/.test(ref) && this.users.has(`U${ref.slice(1)}`)) return this.dmWith(`U${ref.slice(1)}`);
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const c of this.channels.values()) if (c.kind !== 'im' && c.name === name) return c;
    return undefined;
  }

  addMessage(m: Message): Message {
    let list = this.messages.get(m.channel);
    if (!list) {
      list = [];
      this.messages.set(m.channel, list);
    }
    list.push(m);
    if (list.length > this.maxPerChannel) list.splice(0, list.length - this.maxPerChannel);
    this.emit('created', m);
    if (m.thread_ts && m.thread_ts !== m.ts && !m.ephemeral_to) {
      const parent = this.find(m.channel, m.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        const who = m.user ?? m.bot_id ?? '';
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), who])];
        parent.latest_reply = m.ts;
        this.emit('updated', parent);
      }
    }
    return m;
  }

  /** Finds a message (ephemeral ones included) by channel and ts. */
  find(channel: string, ts: string): Message | undefined {
    const list = this.messages.get(channel);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]?.ts === ts) return list[i];
    return undefined;
  }

  /** Finds a message by ts alone, for clicks that only know the message ts. */
  findAnywhere(ts: string): Message | undefined {
    for (const channel of this.messages.keys()) {
      const m = this.find(channel, ts);
      if (m) return m;
    }
    return undefined;
  }

  update(channel: string, ts: string, patch: Partial<Message>): Message | undefined {
    const m = this.find(channel, ts);
    if (!m) return undefined;
    Object.assign(m, patch);
    this.emit('updated', m);
    return m;
  }

  delete(channel: string, ts: string): Message | undefined {
    const list = this.messages.get(channel);
    const i = list ? list.findIndex((m) => m.ts === ts) : -1;
    if (!list || i < 0) return undefined;
    const [m] = list.splice(i, 1);
    if (m) this.emit('deleted', m);
    return m;
  }

  /** conversations.replies: the parent followed by its (non-ephemeral) replies in ts order. */
  thread(channel: string, ts: string): Message[] {
    const list = this.messages.get(channel) ?? [];
    const parent = list.find((m) => m.ts === ts && !m.ephemeral_to);
    if (!parent) return [];
    const root = parent.thread_ts ?? parent.ts;
    return list.filter((m) => !m.ephemeral_to && (m.ts === root || m.thread_ts === root));
  }

  /** Every message `userId` can see, oldest first (others' ephemerals excluded). */
  visibleTo(userId: string): Message[] {
    const out: Message[] = [];
    for (const list of this.messages.values())
      for (const m of list) if (!m.ephemeral_to || m.ephemeral_to === userId) out.push(m);
    return out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  /** Every stored message in a channel (ephemerals included), oldest first. */
  messagesIn(channel: string): Message[] {
    return [...(this.messages.get(channel) ?? [])];
  }

  clearMessages(): void {
    this.messages.clear();
  }

  /** User groups (usergroups.users.list): id → member ids. None unless a test or the playground adds one. */
  private readonly usergroups = new Map<string, string[]>();
  setUsergroup(id: string, users: string[]): void {
    this.usergroups.set(id, [...users]);
  }
  usergroupUsers(id: string): string[] | undefined {
    const users = this.usergroups.get(id);
    return users ? [...users] : undefined;
  }

  /** The Home tab each user was last published (views.publish). */
  private readonly homes = new Map<string, unknown[]>();
  setHomeView(user: string, blocks: unknown[]): void {
    this.homes.set(user, blocks);
  }
  homeView(user: string): unknown[] | undefined {
    return this.homes.get(user);
  }

  private emit(kind: ChangeKind, m: Message): void {
    for (const l of this.listeners) l(kind, m);
  }
}
