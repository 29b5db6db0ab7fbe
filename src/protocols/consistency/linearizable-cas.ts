/**
 * Linearizable compare-and-swap via total order broadcast (lecture 6, slide "Linearizable
 * compare-and-swap (CAS)"). The code is the reference solution of its exercise,
 * solutions/linearizable-cas.ts.
 */
export * from "../../../solutions/linearizable-cas";
