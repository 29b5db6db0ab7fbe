/** Lecture 3 and 4's clocks: NTP, Lamport clocks and vector clocks. */
export * from "./ntp";
export * from "./ntp-discipline";
export * from "./ntp-protocol";
export * from "./lamport";
export * from "./lamport-protocol";
export * from "./vector";
export * from "./vector-protocol";
