// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 2.2 answered with the library's go-back-N link as the upper layer (it sends on
// the network itself, beside the durable link below). It keeps nothing in stable storage, so a
// recovered node numbers from 0 again and forgets what it delivered. Expect 0.
import { reliableFifoLink } from "../src/protocols/links/go-back-n";

export const fifoLinkRecovery = () => reliableFifoLink({ retransmitMs: 60 });
