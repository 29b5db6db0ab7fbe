/** BUGGY (concurrent only checks one direction: b -> a counts as concurrent) variant of Exercise 3.2. */
export interface NodeEvent {
  readonly node: string;
  readonly kind: string;
  readonly msgId?: number;
}

/** Transitive closure by search over direct steps. */
export function happensBefore(events: readonly NodeEvent[], a: number, b: number): boolean {
  if (a === b) return false;
  const seen = new Set<number>([a]);
  const queue = [a];
  while (queue.length > 0) {
    const x = queue.shift() as number;
    for (let y = x + 1; y < events.length; y++) {
      const direct =
        (events[y].node === events[x].node) ||
        (events[x].kind === "send" && events[y].kind === "receive" && events[x].msgId === events[y].msgId);
      if (direct && !seen.has(y)) {
        if (y === b) return true;
        seen.add(y);
        queue.push(y);
      }
    }
  }
  return false;
}

export function concurrent(events: readonly NodeEvent[], a: number, b: number): boolean {
  return a !== b && !happensBefore(events, a, b);
}
