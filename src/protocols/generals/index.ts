/** Lecture 2 thought experiments: two generals, Romeo and Juliet, the online shop, Byzantine generals. */
export * from "./two-generals";
export * from "./online-shop";
export * from "./byzantine";
