/** Reference solution of Exercise 4.4 (see exercises/fifo-broadcast.ts): the broadcast library's FIFO layer. */
export { fifoBroadcast, type FifoMsg, type FifoState } from "../src/protocols/broadcast/fifo";
