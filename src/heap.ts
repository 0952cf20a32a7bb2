/**
 * A command that reads its data once and then answers line after line (classify, the bench) makes
 * short-lived garbage only, yet V8 grows its young generation to 2 × 16 MB and lets the old one
 * grow by half or more before collecting: together half its RSS for no gain. Kept small, the
 * peak RSS of `classify --jsonl` and of `npm run bench` drops by about 50 MB for a few per cent of CPU.
 * The bot process keeps V8's defaults: under load its turns live across network waits.
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
