/** Reference solution of Exercise 4.6 (see exercises/total-order-broadcast.ts): the broadcast library's Lamport total order layer. */
export {
  totalOrderLamport,
  type HeldBack,
  type TotalOrderLamportMsg,
  type TotalOrderLamportState,
} from "../src/protocols/broadcast/total-order-lamport";
