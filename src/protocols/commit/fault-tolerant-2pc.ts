/**
 * Fault-tolerant two-phase commit over total order broadcast (lecture 6, slides "Fault-tolerant
 * two-phase commit (1/2)" and "(2/2)"). The code is the reference solution of its exercise,
 * solutions/fault-tolerant-2pc.ts.
 */
export * from "../../../solutions/fault-tolerant-2pc";
