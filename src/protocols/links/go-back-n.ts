/**
 * The kit's reliable FIFO link: go-back-N with cumulative acknowledgements, over fair-loss links
 * (lecture 2, "System model: network behaviour"; the way TCP-like protocols restore order).
 *
 * The broadcast stacks of lecture 4 and the replication demos of lecture 5 need links on which each
 * sender's messages arrive in order, exactly once, over a network that loses, duplicates and reorders.
 * This link gets there differently from the slides' FIFO algorithm (sequence numbers plus a hold-back
 * buffer at the receiver, which is Exercise 2.1):
 *
 * - The sender numbers its messages to each destination 0, 1, 2, ... and keeps every message not yet
 *   acknowledged. At most `window` of them are on the network at a time; the rest wait their turn.
 * - The receiver keeps one number per sender, `expected`. A data message numbered `expected` is
 *   delivered at once; any other number (a duplicate, or one that overtook a lost or slower
 *   predecessor) is dropped. Either way it acknowledges cumulatively: Ack(expected) means "I have
 *   everything below `expected`". The receiver holds nothing back.
 * - On an Ack(n) the sender forgets every message below n and sends the ones the window now admits.
 *   When its retransmission timer fires with messages still unacknowledged, it goes back to the
 *   oldest and sends the whole window again ("go back N").
 *
 * Order costs retransmissions here: a message that overtakes another is thrown away and sent again.
 * Crash-stop only: a node that recovers starts with empty state (its numbering starts again at 0,
 * which its peers take for old duplicates), so crash-recovery breaks it (notebook 02's table).
 *
 * Requests are `{ type: "send", to, m }`; on the network travel GbnData and GbnAck.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { LinkSendRequest } from "./reliable-link";

export type GoBackNMessage = { type: "GbnData"; seq: number; m: unknown } | { type: "GbnAck"; next: number };

/** The sender's side of one destination. */
export interface GoBackNOutbox {
  /** The number of queue[0]: every message below it has been acknowledged. */
  base: number;
  /** Messages base, base + 1, ... not yet acknowledged (sent or waiting for the window). */
  queue: unknown[];
  /** How many of the queue's first messages have been sent at least once. */
  sent: number;
  /** Whether a retransmission timer is pending for this destination. */
  timerSet: boolean;
}

export interface GoBackNState {
  /** Per destination. */
  outbox: Record<NodeId, GoBackNOutbox>;
  /** Per sender: the number of the next message to deliver. */
  expected: Record<NodeId, number>;
  /** Messages sent again (to measure the cost of loss and reordering). */
  retransmissions: number;
}

export interface GoBackNOptions {
  /** Wait this long for an acknowledgement before sending the window again (monotonic clock), ms. Default 50. */
  readonly retransmitMs?: number;
  /** Most unacknowledged messages on the network per destination. Default 16. */
  readonly window?: number;
  /** Bound on the messages queued per destination (an assertion, not a policy). Default 100000. */
  readonly maxQueued?: number;
  /** Not supported: this link is crash-stop only (throws if true). */
  readonly durable?: boolean;
}

export function goBackNLink(options: GoBackNOptions = {}): Protocol<GoBackNState, GoBackNMessage, LinkSendRequest> {
  const retransmitMs = options.retransmitMs ?? 50;
  const window = options.window ?? 16;
  const maxQueued = options.maxQueued ?? 100_000;
  if (!(retransmitMs > 0) || !Number.isFinite(retransmitMs)) throw new RangeError(`goBackNLink: retransmitMs must be > 0, got ${retransmitMs}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`goBackNLink: window must be an integer >= 1, got ${window}`);
  if (options.durable === true) {
    throw new RangeError("goBackNLink: the kit's FIFO link is crash-stop only; a crash-recovery FIFO link is Exercise 2.2 (stacked on reliableLink({ durable: true }))");
  }

  /** Sends every queued message the window admits that has not been sent yet; keeps a timer running. */
  const fill = (box: GoBackNOutbox, to: NodeId, ctx: { send(to: NodeId, msg: GoBackNMessage): void; startTimer(name: string, ms: number, data?: unknown): unknown }) => {
    const limit = Math.min(box.queue.length, window);
    for (; box.sent < limit; box.sent++) ctx.send(to, { type: "GbnData", seq: box.base + box.sent, m: box.queue[box.sent] });
    if (box.queue.length > 0 && !box.timerSet) {
      box.timerSet = true;
      ctx.startTimer("goBack", retransmitMs, { to });
    }
  };

  return {
    name: "fifo-link",

    init: () => ({ outbox: {}, expected: {}, retransmissions: 0 }),

    // on request to send m to `to`: queue it; send it now if the window has room
    request: (state, req, ctx) => {
      const box = (state.outbox[req.to] ??= { base: 0, queue: [], sent: 0, timerSet: false });
      if (box.queue.length >= maxQueued) throw new Error(`go-back-N link: more than ${maxQueued} messages to ${req.to} unacknowledged`);
      box.queue.push(req.m);
      fill(box, req.to, ctx);
    },

    receive: {
      // on receiving (GbnData, seq, m) from `from`: deliver it only if it is the next one; acknowledge cumulatively
      GbnData: (state, msg, from, ctx) => {
        const expected = state.expected[from] ?? 0;
        if (msg.seq === expected) {
          state.expected[from] = expected + 1;
          ctx.deliver(msg.m, from);
        }
        ctx.send(from, { type: "GbnAck", next: state.expected[from] ?? 0 });
      },
      // on receiving (GbnAck, next) from `from`: everything below `next` has arrived
      GbnAck: (state, msg, from, ctx) => {
        const box = state.outbox[from];
        if (box === undefined || msg.next <= box.base) return; // an old or duplicate acknowledgement
        const acked = Math.min(msg.next - box.base, box.queue.length);
        box.queue.splice(0, acked);
        box.base += acked;
        box.sent = Math.max(0, box.sent - acked);
        fill(box, from, ctx);
      },
    },

    timers: {
      // on timeout for `to`: go back to the oldest unacknowledged message and send the window again
      goBack: (state, data, ctx) => {
        const { to } = data as { to: NodeId };
        const box = state.outbox[to];
        if (box === undefined) return;
        box.timerSet = false;
        if (box.queue.length === 0) return;
        state.retransmissions += box.sent;
        box.sent = 0;
        fill(box, to, ctx);
      },
    },
  };
}

/** A reliable FIFO link over fair-loss links: go-back-N (see above). `durable` is not supported. */
export function reliableFifoLink(options: GoBackNOptions = {}) {
  return goBackNLink(options);
}
