/**
 * A command that reads its data once and then answers line after line (classify, the bench) makes
 * short-lived garbage only, yet V8 grows its young generation to 2 × 16 MB and lets the old one
 * grow by half or more before collecting: together half its RSS for no gain. Kept small, the
 * peak RSS of `classify --jsonl` and of `npm run bench` drops by about 50 MB for a few per cent of CPU.
 * The bot process keeps V8's sizes (under load its turns live across network waits), but not its
 * allocation-site pretenuring (botHeap, below).
 *
 * When: once the data files are read (the registry and the intents). Reading them grows the young
 * generation as V8 does whenever much survives a scavenge (to 2 × 4 or 2 × 8 MB here, as the
 * loading's collections fall); stopped at its start-up size instead (2 × 1 MB), a line's garbage
 * filled it every few lines and `classify` of 10,000 lines spent a quarter of its time in 400
 * scavenges (50–90 now), for 10–15 MB less RSS.
 */
import v8 from 'node:v8';

export function keepHeapSmall(): void {
  // Both are read by V8 each time it sizes a space, so they apply after start-up too.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=20');
}

/**
 * The bot process (main.ts), before its data is read: no allocation-site pretenuring. V8 watches
 * which object and array literals' objects survive a scavenge, and once one site's do (85 % of at
 * least 100, with the young generation at its largest) it allocates that site's objects in the old
 * generation from then on, for good (it reconsiders only when under 10 % of the old generation
 * survives a mark-compact, which the bot's 70 MB of data never allows). Loading the data and the first
 * turns, with the compiler still cold, made it so for literals every turn makes and drops: the
 * answer's lines, the places found, the activity, the message (`--trace-pretenuring`: some 20 sites
 * turned to "tenure" in the first 2.5 s). Those objects then died in the old generation, where only a
 * mark-compact frees them, and until one does they keep the young objects they point to alive
 * through scavenges too (measured with the sampling heap profiler in npm run bench:slack: the
 * answer's objects went 44–57 % to the old generation before, 3–4 % after).
 */
export function botHeap(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
