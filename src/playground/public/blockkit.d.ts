/** Types for blockkit.js (plain JS so the page loads it without a build step). */
export interface RenderContext {
  userName?: (id: string) => string;
  channelName?: (id: string) => string;
}
export interface TextObject {
  type?: string;
  text?: string;
}
export function escapeHtml(text: unknown): string;
export function decodeSlackEntities(text: unknown): string;
export function safeUrl(url: unknown): string | null;
export function encodeComposerText(text: string, users?: ReadonlyArray<{ id: string; name: string }>): string;
export function mrkdwnToHtml(text: unknown, ctx?: RenderContext): string;
export function textToHtml(obj: unknown, ctx?: RenderContext): string;
export function elementToHtml(el: unknown, blockId?: string, ctx?: RenderContext): string;
export function blockToHtml(block: unknown, ctx?: RenderContext): string;
export function messageBodyHtml(
  message: { text?: string; blocks?: unknown[] } | null | undefined,
  ctx?: RenderContext,
): string;
