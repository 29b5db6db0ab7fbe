/** Reference solution of Exercise 4.5 (see exercises/causal-broadcast.ts): the broadcast library's causal layer. */
export { causalBroadcast, type CausalMsg, type CausalState } from "../src/protocols/broadcast/causal";
