/**
 * A small Block Kit and mrkdwn renderer for the playground page, as HTML strings. Plain ES module:
 * the page imports it, and the unit tests import it in node. Everything that comes from a message
 * is escaped; links are made only for http(s) URLs. Types: blockkit.d.ts.
 */

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values alike. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Slack encodes only &, < and > in message text; one pass, so "&amp;lt;" stays "&lt;". */
export function decodeSlackEntities(text) {
  return String(text).replace(/&(amp|lt|gt);/g, (_, name) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** The URL when it is http(s), otherwise null (no javascript:, data:, relative or broken URLs). */
export function safeUrl(url) {
  try {
    const u = new URL(String(url).trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * What the Slack client does to what you type: encodes &, <, > and turns `@name` of a known user
 * into a `<@U…>` mention. `users` is [{id, name}].
 */
export function encodeComposerText(text, users = []) {
  let out = String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const byName = new Map(users.map((u) => [String(u.name).toLowerCase(), u.id]));
  out = out.replace(/(^|[^\w@])@([a-z0-9._-]+)/gi, (whole, before, name) => {
    const id = byName.get(name.toLowerCase().replace(/[._-]+$/, ''));
    if (!id) return whole;
    const tail = name.slice(name.toLowerCase().replace(/[._-]+$/, '').length);
    return `${before}<@${id}>${tail}`;
  });
  return out;
}

const MARK = '\u0000';
const placeholder = (i) => `${MARK}${i}${MARK}`;

/**
 * Slack mrkdwn → HTML: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, <url|label> links,
 * <@U…> and <#C…|name> mentions, <!here>, line breaks. Everything else is shown as text.
 * `ctx.userName(id)` names users in mentions.
 */
export function mrkdwnToHtml(text, ctx = {}) {
  const pieces = [];
  const keep = (html) => placeholder(pieces.push(html) - 1);
  let s = String(text ?? '').replace(/\u0000/g, '');
  // Code first: nothing inside it is formatted or linked.
  s = s.replace(/```([\s\S]*?)```/g, (_, code) =>
    keep(`<pre class="bk-pre">${escapeHtml(decodeSlackEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code) =>
    keep(`<code class="bk-code">${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  s = s.replace(/<([^<>\n]*)>/g, (_, inner) => keep(angle(inner, ctx)));
  let html = escapeHtml(decodeSlackEntities(s));
  html = formatInline(html);
  html = quoteLines(html);
  html = html.replace(/\n/g, '<br>');
  return html.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, i) => pieces[Number(i)] ?? '');
}

/** One `<…>` token: a link, a mention, or a special like <!here>. */
function angle(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label || (ctx.userName ? ctx.userName(id) : id);
    return `<span class="bk-mention">@${escapeHtml(decodeSlackEntities(name))}</span>`;
  }
  if (target.startsWith('#')) {
    const name = label || (ctx.channelName ? ctx.channelName(target.slice(1)) : target.slice(1));
    return `<span class="bk-mention">#${escapeHtml(decodeSlackEntities(name))}</span>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    const shown = label || (['here', 'channel', 'everyone'].includes(special) ? `@${special}` : special);
    return `<span class="bk-mention">${escapeHtml(decodeSlackEntities(shown))}</span>`;
  }
  const url = safeUrl(decodeSlackEntities(target));
  const text = escapeHtml(decodeSlackEntities(label || target));
  if (!url) return text;
  return `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

/** Bold, italic and strike on already escaped text; markers need a non-word character (or an edge) outside. */
function formatInline(html) {
  const wrap = (marker) =>
    new RegExp(
      `(^|[^A-Za-z0-9${marker}])\\${marker}(?=\\S)([^${marker}\\n]*?[^\\s${marker}]|[^\\s${marker}])\\${marker}(?![A-Za-z0-9${marker}])`,
      'g',
    );
  return html
    .replace(wrap('*'), (_, pre, body) => `${pre}<b>${body}</b>`)
    .replace(wrap('_'), (_, pre, body) => `${pre}<i>${body}</i>`)
    .replace(wrap('~'), (_, pre, body) => `${pre}<s>${body}</s>`);
}

/** Lines starting with "> " (escaped by now) become quotes. */
function quoteLines(html) {
  return html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<span class="bk-quote">${line.slice(5)}</span>` : line))
    .join('\n');
}

/** A text object: mrkdwn, or plain_text shown as is (line breaks kept). */
export function textToHtml(obj, ctx = {}) {
  if (!obj || typeof obj !== 'object') return '';
  if (obj.type === 'mrkdwn') return mrkdwnToHtml(obj.text, ctx);
  return escapeHtml(obj.text ?? '').replace(/\n/g, '<br>');
}

const attr = (name, value) => (value === undefined || value === null ? '' : ` ${name}="${escapeHtml(value)}"`);

/** Interactive and image elements (in actions blocks, section accessories and context). */
export function elementToHtml(el, blockId, ctx = {}) {
  if (!el || typeof el !== 'object') return '';
  const ids = `${attr('data-action-id', el.action_id)}${attr('data-block-id', blockId)}`;
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` bk-${el.style}` : '';
      const label = escapeHtml(el.text?.text ?? '');
      const url = el.url ? safeUrl(el.url) : null;
      if (url) {
        return `<a class="bk-button${style}" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"${ids}${attr('data-value', el.value)}>${label}</a>`;
      }
      return `<button type="button" class="bk-button${style}"${ids}${attr('data-value', el.value)}>${label}</button>`;
    }
    case 'static_select':
    case 'overflow': {
      const placeholder = el.type === 'overflow' ? '…' : (el.placeholder?.text ?? 'Select an option');
      const groups = Array.isArray(el.option_groups)
        ? el.option_groups
            .map(
              (g) =>
                `<optgroup label="${escapeHtml(g.label?.text ?? '')}">${optionsHtml(g.options, el.initial_option)}</optgroup>`,
            )
            .join('')
        : optionsHtml(el.options, el.initial_option);
      const none = el.initial_option ? '' : `<option value="" disabled selected>${escapeHtml(placeholder)}</option>`;
      return `<select class="bk-select"${ids} aria-label="${escapeHtml(placeholder)}">${none}${groups}</select>`;
    }
    case 'image': {
      const url = safeUrl(el.image_url);
      // The page's CSP blocks remote images anyway; show the alt text instead of a broken image.
      return url ? `<span class="bk-image-alt">[${escapeHtml(el.alt_text ?? 'image')}]</span>` : '';
    }
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${textToHtml(el, ctx)}</span>`;
    default:
      return `<span class="bk-unsupported">[${escapeHtml(String(el.type ?? 'element'))}]</span>`;
  }
}

function optionsHtml(options, initial) {
  if (!Array.isArray(options)) return '';
  return options
    .map((o) => {
      const selected = initial && initial.value === o.value ? ' selected' : '';
      return `<option value="${escapeHtml(o.value ?? '')}"${selected}>${escapeHtml(o.text?.text ?? '')}</option>`;
    })
    .join('');
}

/** One block; unknown types show their name rather than vanish. */
export function blockToHtml(block, ctx = {}) {
  if (!block || typeof block !== 'object') return '';
  const bid = block.block_id;
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${escapeHtml(block.text?.text ?? '')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textToHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${textToHtml(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${elementToHtml(block.accessory, bid, ctx)}</div>`
        : '';
      return `<div class="bk-section"><div class="bk-section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const els = Array.isArray(block.elements) ? block.elements.map((e) => elementToHtml(e, bid, ctx)).join(' ') : '';
      return `<div class="bk-context">${els}</div>`;
    }
    case 'actions': {
      const els = Array.isArray(block.elements) ? block.elements.map((e) => elementToHtml(e, bid, ctx)).join('') : '';
      return `<div class="bk-actions">${els}</div>`;
    }
    case 'image':
      return `<div class="bk-context">${elementToHtml({ ...block, type: 'image' }, bid, ctx)}</div>`;
    default:
      return `<div class="bk-unsupported">[${escapeHtml(String(block.type ?? 'block'))} block]</div>`;
  }
}

/** A message body: its blocks when it has any, else its text as mrkdwn (as Slack shows it). */
export function messageBodyHtml(message, ctx = {}) {
  if (Array.isArray(message?.blocks) && message.blocks.length > 0)
    return message.blocks.map((b) => blockToHtml(b, ctx)).join('');
  return `<div class="bk-text">${mrkdwnToHtml(message?.text ?? '', ctx)}</div>`;
}
