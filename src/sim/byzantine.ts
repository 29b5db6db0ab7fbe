/**
 * Byzantine nodes (lecture 2, "System model: node behaviour"): a node whose behaviour is replaced
 * by an arbitrary function. It receives every message, whatever its type, and may send anything.
 */
import type { Context, Message, NodeId, Protocol } from "./protocol";

/** What a Byzantine node is told about: its start, each message it receives, each request. */
export type ByzantineEvent =
  | { readonly kind: "init" }
  | { readonly kind: "receive"; readonly msg: Message; readonly from: NodeId }
  | { readonly kind: "request"; readonly request: unknown };

/**
 * A protocol that hands every event to `behave`. State is whatever `behave` keeps in the object it
 * is given (plain data). Use it as the protocol of the faulty node(s) in a Simulation.
 */
export function byzantine(
  name: string,
  behave: (state: Record<string, unknown>, event: ByzantineEvent, ctx: Context<Message>) => void,
): Protocol<Record<string, unknown>, Message, unknown> {
  const onMessage = (state: Record<string, unknown>, msg: Message, from: NodeId, ctx: Context<Message>) =>
    behave(state, { kind: "receive", msg, from }, ctx);
  // Every message type has a handler: the same one.
  const receive = new Proxy({} as Record<string, typeof onMessage>, {
    get: (_target, key) => (typeof key === "string" ? onMessage : undefined),
    has: () => true,
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === "string" ? { value: onMessage, writable: false, enumerable: true, configurable: true } : undefined,
  });
  return {
    name,
    init: (ctx) => {
      const state: Record<string, unknown> = {};
      behave(state, { kind: "init" }, ctx);
      return state;
    },
    receive: receive as Protocol<Record<string, unknown>, Message, unknown>["receive"],
    request: (state, request, ctx) => behave(state, { kind: "request", request }, ctx),
  };
}
