import { Inject } from '@nestjs/common';

/** Where the resilience code reads the time; injected so tests move time by hand. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Injection token of the {@link Clock}. */
export const CLOCK = Symbol('CLOCK');

/** The wall clock, the default outside tests. */
export const systemClock: Clock = { now: () => Date.now() };

/** Injects the {@link Clock}: `constructor(@InjectClock() clock: Clock)`. */
export const InjectClock = (): ParameterDecorator => Inject(CLOCK);
