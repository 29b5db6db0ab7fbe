/** Reference solution of Exercise 4.7 (see exercises/gossip-broadcast.ts): the broadcast library's gossip layer. */
export { gossip, type GossipMsg, type GossipOptions, type GossipState } from "../src/protocols/broadcast/gossip";
