/**
 * A config map keyed by names that requests look up (users, teams, routes, models,
 * providers, …): no prototype, so `toString`, `constructor` or `__proto__` is just
 * another unknown name, never an inherited function that skips a default budget or limit.
 */
export function ownKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
