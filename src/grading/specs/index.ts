/** Every exercise with graded tests, in course order. Add a new exercise here. */
import type { ExerciseDef } from "../define";
import { causalBroadcastExercise } from "./causal-broadcast";
import { exactlyOnceExercise } from "./exactly-once";
import { failureDetector } from "./failure-detector";
import { fifoBroadcastExercise } from "./fifo-broadcast";
import { fifoLinkExercise } from "./fifo-link";
import { fifoLinkRecoveryExercise } from "./fifo-link-recovery";
import { framing } from "./framing";
import { gossipBroadcastExercise } from "./gossip-broadcast";
import { happensBeforeExercise } from "./happens-before";
import { lamportClock } from "./lamport-clock";
import { abdExercise } from "./abd";
import { linearizableCasExercise } from "./linearizable-cas";
import { twoPhaseCommitExercise } from "./two-phase-commit";
import { faultTolerantTwoPhaseCommitExercise } from "./fault-tolerant-2pc";
import { lwwStoreExercise } from "./lww-store";
import { multiValueRegisterExercise } from "./multi-value-register";
import { quorumClientExercise } from "./quorum-client";
import { raftExercise } from "./raft";
import { opMapCrdtExercise } from "./op-map-crdt";
import { orSetExercise } from "./or-set";
import { stateMapCrdtExercise } from "./state-map-crdt";
import { textCrdtExercise } from "./text-crdt";
import { ntpExercise } from "./ntp";
import { paymentDedup } from "./payment-dedup";
import { totalOrderBroadcastExercise } from "./total-order-broadcast";
import { vectorClock } from "./vector-clock";

export const exercises: readonly ExerciseDef[] = [
  framing,
  paymentDedup,
  fifoLinkExercise,
  fifoLinkRecoveryExercise,
  failureDetector,
  ntpExercise,
  happensBeforeExercise,
  lamportClock,
  vectorClock,
  fifoBroadcastExercise,
  causalBroadcastExercise,
  totalOrderBroadcastExercise,
  gossipBroadcastExercise,
  exactlyOnceExercise,
  lwwStoreExercise,
  multiValueRegisterExercise,
  quorumClientExercise,
  twoPhaseCommitExercise,
  faultTolerantTwoPhaseCommitExercise,
  abdExercise,
  linearizableCasExercise,
  raftExercise,
  opMapCrdtExercise,
  stateMapCrdtExercise,
  orSetExercise,
  textCrdtExercise,
];
