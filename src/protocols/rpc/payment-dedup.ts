/**
 * The payments service with deduplication (lecture 1, slide "Remote Procedure Call (RPC)"). The code
 * is the reference solution of Exercise 1.2, solutions/payment-dedup.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a re-export
 * of the student's exercises/payment-dedup.ts, so paymentService() runs the student's service).
 * Not in ./index.ts: payments.ts's paymentService() is the library's entry point.
 */
export * from "../../../solutions/payment-dedup";
