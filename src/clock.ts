/** The time source. `main.ts` makes the one the server uses; tests pin their own. */
export type Clock = () => Date;

/** The system's clock. */
export const systemClock: Clock = () => new Date();
