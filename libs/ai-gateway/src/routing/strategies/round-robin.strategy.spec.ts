import { roundRobinStrategy } from './round-robin.strategy';
import { candidate, providersOf, strategyContext } from './strategy.fixtures';

describe(roundRobinStrategy.name, () => {
  const input = [candidate('c', 2), candidate('a', 0), candidate('b', 1)];

  it.each([
    [0, ['a', 'b', 'c']],
    [1, ['b', 'c', 'a']],
    [2, ['c', 'a', 'b']],
    [3, ['a', 'b', 'c']],
    [4, ['b', 'c', 'a']],
  ])('starts turn %i at its place in the ring', (rotation, expected) => {
    expect(providersOf(roundRobinStrategy(input, strategyContext({ rotation })))).toEqual(expected);
    expect(providersOf(input)).toEqual(['c', 'a', 'b']);
  });

  it('returns a single candidate as it is', () => {
    expect(
      providersOf(roundRobinStrategy([candidate('a', 0)], strategyContext({ rotation: 7 }))),
    ).toEqual(['a']);
  });
});
