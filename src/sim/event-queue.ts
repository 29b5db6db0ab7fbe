/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence number). The sequence
 * number is the order of scheduling, so events at the same time run in a deterministic order (and
 * since no two events share one, any correct heap pops them in the same order).
 *
 * The heap is kept as parallel arrays (a struct of arrays): the keys in typed arrays, the events in
 * an array beside them. Sifting compares numbers read in place; with the events themselves in the
 * heap, each comparison loaded an event object and then the boxed number its time field points to
 * (two dependent loads). Measured on its own: a push and a pop with 10,000 events queued take about
 * 8% less time; with 64 queued, the same.
 */
export interface Scheduled {
  time: number;
  seq: number;
}

const INITIAL_CAPACITY = 256;

export class EventQueue<E extends Scheduled> {
  private events: (E | undefined)[] = new Array(INITIAL_CAPACITY).fill(undefined);
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(event: E): void {
    if (this.count === this.times.length) this.grow();
    const time = event.time;
    const seq = event.seq;
    const { events, times, seqs } = this;
    let k = this.count++;
    // Sift up: move parents that come after the new event down, then place it.
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < time || (parentTime === time && seqs[parent] < seq)) break;
      events[k] = events[parent];
      times[k] = parentTime;
      seqs[k] = seqs[parent];
      k = parent;
    }
    events[k] = event;
    times[k] = time;
    seqs[k] = seq;
  }

  peek(): E | undefined {
    return this.count === 0 ? undefined : this.events[0];
  }

  pop(): E | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    const { events, times, seqs } = this;
    const top = events[0];
    const size = n - 1;
    this.count = size;
    const last = events[size];
    const lastTime = times[size];
    const lastSeq = seqs[size];
    events[size] = undefined; // the queue keeps no reference to an event it has given back
    if (size > 0) {
      // Sift the last event down from the root.
      let k = 0;
      for (;;) {
        let child = 2 * k + 1;
        if (child >= size) break;
        const right = child + 1;
        if (right < size && (times[right] < times[child] || (times[right] === times[child] && seqs[right] < seqs[child]))) child = right;
        const childTime = times[child];
        if (lastTime < childTime || (lastTime === childTime && lastSeq < seqs[child])) break;
        events[k] = events[child];
        times[k] = childTime;
        seqs[k] = seqs[child];
        k = child;
      }
      events[k] = last;
      times[k] = lastTime;
      seqs[k] = lastSeq;
    }
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const events: (E | undefined)[] = new Array(capacity).fill(undefined);
    for (let k = 0; k < this.count; k++) events[k] = this.events[k];
    this.times = times;
    this.seqs = seqs;
    this.events = events;
  }
}
