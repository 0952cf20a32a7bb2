/** How the report's figures read, the same in the terminal table (./terminal.ts) and the page (./html.ts). */
import { registry } from '../../answer/registry.js';

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const ms = (n: number) => `${int(n)} ms`;

/** "2026-11-30 14:05" from an ISO time (the report's times are UTC). */
export const utcMinute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** "Guangdong 广东" for a province id; the id itself when unknown; "(none named)" for none. */
export function provinceLabel(id: string): string {
  if (!id) return '(none named)';
  const p = registry().byId.get(id);
  return p ? `${p.name.en} ${p.name.zh}` : id;
}
