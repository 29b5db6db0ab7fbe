/** Every exercise with graded tests, in course order. Add a new exercise here. */
import type { ExerciseDef } from "../define";
import { failureDetector } from "./failure-detector";
import { fifoLinkExercise } from "./fifo-link";
import { fifoLinkRecoveryExercise } from "./fifo-link-recovery";
import { framing } from "./framing";
import { lamportClock } from "./lamport-clock";
import { paymentDedup } from "./payment-dedup";
import { vectorClock } from "./vector-clock";

export const exercises: readonly ExerciseDef[] = [framing, paymentDedup, fifoLinkExercise, fifoLinkRecoveryExercise, failureDetector, lamportClock, vectorClock];
