/** Availability (lecture 1): nines, SLOs and percentiles, single vs replicated servers. */
export * from "./availability";
