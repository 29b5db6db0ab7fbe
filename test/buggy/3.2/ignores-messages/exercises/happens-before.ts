/** BUGGY (only a node's own execution order; messages create no order) variant of Exercise 3.2. */
export interface NodeEvent {
  readonly node: string;
  readonly kind: string;
  readonly msgId?: number;
}

export function happensBefore(events: readonly NodeEvent[], a: number, b: number): boolean {
  return a < b && events[a].node === events[b].node;
}

export function concurrent(events: readonly NodeEvent[], a: number, b: number): boolean {
  return a !== b && !happensBefore(events, a, b) && !happensBefore(events, b, a);
}
