/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence number). The sequence
 * number is the order of scheduling, so events at the same time run in a deterministic order.
 */
export interface Scheduled {
  time: number;
  seq: number;
}

export class EventQueue<E extends Scheduled> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(event: E): void {
    const heap = this.heap;
    let k = heap.length;
    heap.push(event);
    // Sift up.
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const p = heap[parent];
      if (p.time < event.time || (p.time === event.time && p.seq < event.seq)) break;
      heap[k] = p;
      k = parent;
    }
    heap[k] = event;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as E;
    if (n > 1) {
      // Sift the last element down from the root.
      const size = n - 1;
      let k = 0;
      for (;;) {
        let child = 2 * k + 1;
        if (child >= size) break;
        const right = child + 1;
        if (right < size) {
          const a = heap[child];
          const b = heap[right];
          if (b.time < a.time || (b.time === a.time && b.seq < a.seq)) child = right;
        }
        const c = heap[child];
        if (last.time < c.time || (last.time === c.time && last.seq < c.seq)) break;
        heap[k] = c;
        k = child;
      }
      heap[k] = last;
    }
    return top;
  }
}
