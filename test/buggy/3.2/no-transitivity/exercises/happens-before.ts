/** BUGGY (direct steps only: same node, or one message; no transitive closure) variant of Exercise 3.2. */
export interface NodeEvent {
  readonly node: string;
  readonly kind: string;
  readonly msgId?: number;
}

export function happensBefore(events: readonly NodeEvent[], a: number, b: number): boolean {
  if (a === b) return false;
  const x = events[a];
  const y = events[b];
  if (x.node === y.node) return a < b;
  return x.kind === "send" && y.kind === "receive" && x.msgId === y.msgId;
}

export function concurrent(events: readonly NodeEvent[], a: number, b: number): boolean {
  return a !== b && !happensBefore(events, a, b) && !happensBefore(events, b, a);
}
