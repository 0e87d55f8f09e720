/** One stretch of a node's health within the window. */
export interface Stretch {
  fromMs: number;
  toMs: number;
  up: boolean;
}

/**
 * A node's health over `[sinceMs, nowMs]` as stretches, oldest first, from its changes of state
 * in that window (newest first, as the registry gives them) and its state now.
 */
export function timeline(
  changes: { at: string; up: boolean }[],
  upNow: boolean,
  sinceMs: number,
  nowMs: number,
): Stretch[] {
  const stretches: Stretch[] = [];
  let toMs = nowMs;
  let up = upNow;
  for (const change of changes) {
    const atMs = Math.max(Date.parse(change.at), sinceMs);
    if (atMs < toMs) stretches.unshift({ fromMs: atMs, toMs, up });
    toMs = atMs;
    up = !change.up;
  }
  if (toMs > sinceMs) stretches.unshift({ fromMs: sinceMs, toMs, up });
  return stretches;
}
