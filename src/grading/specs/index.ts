/** Every exercise with graded tests, in course order. Add a new exercise here. */
import type { ExerciseDef } from "../define";
import { lamportClock } from "./lamport-clock";
import { vectorClock } from "./vector-clock";

export const exercises: readonly ExerciseDef[] = [lamportClock, vectorClock];
