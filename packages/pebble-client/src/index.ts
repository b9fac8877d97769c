/** Placeholder until the client lands. */
export const placeholder = 1;
