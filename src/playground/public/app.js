/**
 * The playground page: draws the stand-in's workspace (GET /_standin/state, then live changes from
 * the SSE stream /_standin/events), sends what you type (POST /_standin/messages) and what you click
 * (POST /_standin/actions), the message shortcut (POST /_standin/shortcuts) and the Home tab
 * (POST, then GET /_standin/home). The stand-in turns those into requests to the real bot.
 */
import { encodeComposerText, escapeHtml, messageBodyHtml } from './blockkit.js';

const $ = (id) => document.getElementById(id);

const store = {
  bot: { userId: '', name: 'icpbot' },
  localUser: '',
  users: new Map(),
  channels: [],
  dm: '',
  /** `${channel}/${ts}` → message */
  messages: new Map(),
};
const view = { channel: '', thread: null, unread: new Set(), dismissed: new Set(), home: false, homeBlocks: null };
const HOME = 'home';

const TRY = {
  dm: ['How do I deregister?', '浙江注销备案', 'I forgot my filing password', '/icp how do I deregister in Zhejiang'],
  channel: ['@icpbot How do I deregister in Zhejiang?', '@icpbot 忘记备案密码怎么办', '/icp what is my record number'],
};

const keyOf = (m) => `${m.channel}/${m.ts}`;
const isTopLevel = (m) => !m.thread_ts || m.thread_ts === m.ts;
const isBot = (m) => Boolean(m.bot_id) || m.user === store.bot.userId;
const byTs = (a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);
const ctx = {
  userName: (id) => store.users.get(id)?.name ?? id,
  channelName: (id) => store.channels.find((c) => c.id === id)?.name ?? id,
};

// ---- talking to the stand-in ----

async function post(path, body) {
  const res = await fetch(`/_standin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!json.ok) toast(`The bot did not take that (${json.error ?? `status ${json.status}`}).`);
  return json;
}

async function loadState() {
  const res = await fetch('/_standin/state');
  const s = await res.json();
  store.bot = s.bot;
  store.localUser = s.localUser;
  store.users = new Map(s.users.map((u) => [u.id, u]));
  store.channels = s.channels;
  store.dm = s.dm;
  store.messages = new Map(s.messages.map((m) => [keyOf(m), m]));
  if (!view.channel || !store.channels.some((c) => c.id === view.channel)) {
    const wanted = decodeURIComponent(location.hash.slice(1));
    view.channel = store.channels.some((c) => c.id === wanted) ? wanted : store.dm;
  }
  if (decodeURIComponent(location.hash.slice(1)) === HOME) return switchTo(HOME);
  renderAll();
}

function listen() {
  const es = new EventSource('/_standin/events');
  es.addEventListener('open', () => {
    setStatus('connected', true);
    // Anything missed while disconnected comes with a fresh state.
    loadState().catch(() => setStatus('stand-in unreachable', false));
  });
  es.addEventListener('error', () => setStatus('reconnecting…', false));
  es.addEventListener('message', (e) => {
    const { kind, message } = JSON.parse(e.data);
    onChange(kind, message);
  });
}

function onChange(kind, m) {
  const key = keyOf(m);
  if (kind === 'deleted') store.messages.delete(key);
  else store.messages.set(key, m);
  if (m.channel !== view.channel || view.home) {
    if (kind === 'created' && !m.ephemeral) view.unread.add(m.channel);
    renderSidebar();
    return;
  }
  if (isTopLevel(m)) upsert($('main-messages'), m, kind);
  else {
    const parent = store.messages.get(`${m.channel}/${m.thread_ts}`);
    if (parent) upsert($('main-messages'), parent, 'updated');
    // Your question got an answer in a thread: open it, as you would in Slack.
    if (!view.thread && kind === 'created' && parent && parent.user === store.localUser) openThread(parent.ts);
  }
  if (view.thread && (m.ts === view.thread || m.thread_ts === view.thread)) {
    upsert($('thread-messages'), m, kind, true);
  }
}

// ---- drawing ----

function renderAll() {
  renderSidebar();
  renderMain();
  renderThread();
}

function channelLabel(c) {
  if (c.id === store.dm) return store.bot.name;
  if (c.kind === 'mpim')
    return c.members
      .filter((u) => u !== store.localUser)
      .map((u) => store.users.get(u)?.name ?? u)
      .join(', ');
  return c.name;
}

function renderSidebar() {
  const item = (c, prefix) => {
    const active = c.id === view.channel && !view.home ? ' active' : '';
    const unread = view.unread.has(c.id) ? ' unread' : '';
    return `<li><a href="#${escapeHtml(c.id)}" class="side-item${active}${unread}" data-channel="${escapeHtml(c.id)}">${prefix}${escapeHtml(channelLabel(c))}</a></li>`;
  };
  $('channels').innerHTML = store.channels
    .filter((c) => c.kind === 'channel' || c.kind === 'group')
    .map((c) =>
      item(
        c,
        c.kind === 'group'
          ? '<span class="side-icon" aria-hidden="true"><svg class="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z"/></svg></span>'
          : '<span class="side-icon" aria-hidden="true">#</span>',
      ),
    )
    .join('');
  const dms = store.channels.filter((c) => c.id === store.dm || c.kind === 'mpim');
  $('dms').innerHTML = dms.map((c) => item(c, '<span class="side-icon presence" aria-hidden="true"></span>')).join('');
}

function renderHome() {
  $('main-title').textContent = `${store.bot.name} · Home`;
  $('main-sub').textContent = 'The app’s Home tab, as the bot published it';
  $('main-composer').hidden = true;
  $('main-try').hidden = true;
  const list = $('main-messages');
  list.innerHTML = view.homeBlocks
    ? `<div class="home">${messageBodyHtml({ blocks: view.homeBlocks, text: '' }, ctx)}</div>`
    : '<div class="empty">Opening the Home tab…</div>';
}

/** Opens the Home tab: the stand-in sends app_home_opened, the bot publishes the view. */
async function openHome() {
  view.homeBlocks = null;
  renderHome();
  await post('home', {});
  for (let i = 0; i < 50 && view.home; i++) {
    const res = await fetch('/_standin/home');
    const json = await res.json();
    if (json.blocks) {
      view.homeBlocks = json.blocks;
      return renderHome();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function renderMain() {
  $('home-link').classList.toggle('active', view.home);
  if (view.home) return renderHome();
  $('main-composer').hidden = false;
  $('main-try').hidden = false;
  const c = store.channels.find((x) => x.id === view.channel);
  const dm = view.channel === store.dm;
  $('main-title').textContent = c ? (dm ? store.bot.name : `${c.kind === 'group' ? '' : '#'}${channelLabel(c)}`) : '';
  $('main-sub').textContent = dm ? 'Direct message with the bot' : 'Mention @icpbot to ask; it answers in a thread';
  $('main-input').placeholder = dm
    ? `Message ${store.bot.name}`
    : `Message #${c ? channelLabel(c) : ''} — @icpbot to ask`;
  const list = $('main-messages');
  list.replaceChildren(
    ...inChannel(view.channel)
      .filter(isTopLevel)
      .map((m) => messageEl(m, false)),
  );
  if (list.children.length === 0)
    list.innerHTML = `<div class="empty">No messages yet. Try one of the questions below.</div>`;
  $('main-try').innerHTML =
    '<span class="try-label">Try:</span>' +
    (dm ? TRY.dm : TRY.channel)
      .map((t) => `<button type="button" class="chip" data-try="${escapeHtml(t)}">${escapeHtml(t)}</button>`)
      .join('');
  scrollDown(list);
}

function renderThread() {
  const panel = $('thread');
  const parent = view.thread ? store.messages.get(`${view.channel}/${view.thread}`) : undefined;
  if (!parent) {
    view.thread = null;
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const c = store.channels.find((x) => x.id === view.channel);
  $('thread-sub').textContent = c ? (c.id === store.dm ? store.bot.name : `#${channelLabel(c)}`) : '';
  const replies = inChannel(view.channel).filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
  $('thread-messages').replaceChildren(messageEl(parent, true), ...replies.map((m) => messageEl(m, true)));
  scrollDown($('thread-messages'));
}

function inChannel(channel) {
  return [...store.messages.values()].filter((m) => m.channel === channel && !view.dismissed.has(keyOf(m))).sort(byTs);
}

/** Inserts, replaces or removes one message's element, keeping ts order and the view at the bottom. */
function upsert(list, m, kind, inThread = false) {
  const key = keyOf(m);
  const old = [...list.children].find((el) => el.dataset.key === key);
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  if (kind === 'deleted') old?.remove();
  else if (old) old.replaceWith(messageEl(m, inThread));
  else {
    list.querySelector('.empty')?.remove();
    const next = [...list.children].find((el) => el.dataset.ts > m.ts);
    list.insertBefore(messageEl(m, inThread), next ?? null);
  }
  if (atBottom || kind === 'created') scrollDown(list);
}

const AVATAR_COLOURS = 6;
function avatarClass(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `av-${h % AVATAR_COLOURS}`;
}

function messageEl(m, inThread) {
  const el = document.createElement('div');
  const bot = isBot(m);
  const user = store.users.get(m.user ?? '') ?? null;
  const name = bot ? store.bot.name : (user?.real_name ?? user?.name ?? m.user ?? 'someone');
  el.className = `msg${m.ephemeral ? ' ephemeral' : ''}${bot ? ' from-bot' : ''}`;
  el.dataset.key = keyOf(m);
  el.dataset.ts = m.ts;
  el.dataset.channel = m.channel;
  const time = new Date(Number(m.ts.split('.')[0]) * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  const replies =
    !inThread && m.reply_count > 0
      ? `<button type="button" class="replies" data-open-thread="${escapeHtml(m.ts)}">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</button>`
      : '';
  // Slack's "⋯" menu on someone's message in a conversation: the bot's message shortcut.
  const more =
    !bot && !m.ephemeral && m.channel !== store.dm
      ? `<div class="msg-actions"><button type="button" class="msg-more" data-more aria-label="More actions" aria-haspopup="menu">⋯</button>` +
        `<div class="msg-menu" role="menu" hidden><button type="button" role="menuitem" data-shortcut>Answer with icp-bot</button></div></div>`
      : '';
  const only = m.ephemeral
    ? `<div class="only-you">Only visible to you <button type="button" class="dismiss" data-dismiss="${escapeHtml(keyOf(m))}">Dismiss</button></div>`
    : '';
  el.innerHTML =
    more +
    `<div class="avatar ${bot ? 'av-bot' : avatarClass(m.user)}" aria-hidden="true">${escapeHtml((name[0] ?? '?').toUpperCase())}</div>` +
    `<div class="msg-main">${only}<div class="msg-head"><span class="author">${escapeHtml(name)}</span>${bot ? '<span class="badge">APP</span>' : ''}<span class="time">${escapeHtml(time)}</span></div>` +
    `<div class="msg-body">${messageBodyHtml(m, ctx)}</div>${m.edited ? '<span class="edited">(edited)</span>' : ''}${replies}</div>`;
  return el;
}

function scrollDown(list) {
  list.scrollTop = list.scrollHeight;
}

function openThread(ts) {
  view.thread = ts;
  renderThread();
}

function switchTo(channel) {
  if (channel === HOME) {
    view.home = true;
    view.thread = null;
    if (location.hash.slice(1) !== HOME) history.replaceState(null, '', `#${HOME}`);
    renderAll();
    return void openHome().catch(() => toast('Could not reach the stand-in.'));
  }
  if (!store.channels.some((c) => c.id === channel)) return;
  view.home = false;
  view.channel = channel;
  view.thread = null;
  view.unread.delete(channel);
  if (location.hash.slice(1) !== channel) history.replaceState(null, '', `#${channel}`);
  renderAll();
  $('main-input').focus();
}

let toastTimer;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 5000);
}

function setStatus(text, ok) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('ok', ok);
}

// ---- input ----

async function send(text, threadTs) {
  const trimmed = text.trim();
  if (!trimmed) return;
  // Slash commands go as typed; messages are encoded the way the Slack client does it.
  const out = trimmed.startsWith('/') ? trimmed : encodeComposerText(trimmed, [...store.users.values()]);
  await post('messages', { channel: view.channel, text: out, thread_ts: threadTs ?? undefined });
}

function wireComposer(formId, inputId, threadTs) {
  const form = $(formId);
  const input = $(inputId);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    input.value = '';
    send(text, threadTs()).catch(() => toast('Could not reach the stand-in.'));
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
}

function actionTarget(el) {
  const msg = el.closest('.msg');
  return msg
    ? {
        message_ts: msg.dataset.ts,
        channel: msg.dataset.channel,
        action_id: el.dataset.actionId,
        block_id: el.dataset.blockId,
      }
    : null;
}

document.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  if (!target) return;
  const side = target.closest('[data-channel].side-item');
  if (side) {
    e.preventDefault();
    return switchTo(side.dataset.channel);
  }
  if (target.closest('[data-home]')) {
    e.preventDefault();
    return switchTo(HOME);
  }
  const more = target.closest('[data-more]');
  for (const open of document.querySelectorAll('.msg-menu:not([hidden])'))
    if (!more || open !== more.nextElementSibling) open.hidden = true;
  if (more) {
    const menu = more.nextElementSibling;
    menu.hidden = !menu.hidden;
    return;
  }
  const shortcut = target.closest('[data-shortcut]');
  if (shortcut) {
    const msg = shortcut.closest('.msg');
    shortcut.closest('.msg-menu').hidden = true;
    return void post('shortcuts', { channel: msg.dataset.channel, message_ts: msg.dataset.ts }).catch(() =>
      toast('Could not reach the stand-in.'),
    );
  }
  const chip = target.closest('[data-try]');
  if (chip) return void send(chip.dataset.try, null).catch(() => toast('Could not reach the stand-in.'));
  const thread = target.closest('[data-open-thread]');
  if (thread) return openThread(thread.dataset.openThread);
  const dismiss = target.closest('[data-dismiss]');
  if (dismiss) {
    view.dismissed.add(dismiss.dataset.dismiss);
    return void dismiss.closest('.msg')?.remove();
  }
  const button = target.closest('.bk-button[data-action-id]');
  if (button && !button.closest('.msg') && button.closest('.home')) {
    // A Home tab example: the bot answers it in the DM, where the page goes.
    return void post('home/actions', { action_id: button.dataset.actionId })
      .then(() => switchTo(store.dm))
      .catch(() => toast('Could not reach the stand-in.'));
  }
  if (button) {
    const body = actionTarget(button);
    if (!body) return;
    if (button.dataset.value !== undefined) body.value = button.dataset.value;
    if (button.tagName === 'BUTTON') button.disabled = true;
    post('actions', body)
      .catch(() => toast('Could not reach the stand-in.'))
      .finally(() => {
        button.disabled = false;
      });
  }
});

document.addEventListener('change', (e) => {
  const select =
    e.target instanceof HTMLSelectElement && e.target.matches('.bk-select[data-action-id]') ? e.target : null;
  if (!select || !select.value) return;
  const body = actionTarget(select);
  if (!body) return;
  const option = select.selectedOptions[0];
  body.selected_option = {
    text: { type: 'plain_text', text: option?.textContent ?? select.value },
    value: select.value,
  };
  post('actions', body).catch(() => toast('Could not reach the stand-in.'));
});

$('thread-close').addEventListener('click', () => {
  view.thread = null;
  renderThread();
});
window.addEventListener('hashchange', () => switchTo(decodeURIComponent(location.hash.slice(1))));
wireComposer('main-composer', 'main-input', () => null);
wireComposer('thread-composer', 'thread-input', () => view.thread);

loadState()
  .catch(() => setStatus('stand-in unreachable', false))
  .finally(listen);
