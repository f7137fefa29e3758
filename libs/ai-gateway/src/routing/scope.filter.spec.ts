import { GatewayErrorCode } from '../errors/gateway-error-code';
import { thrownBy } from './route-planner.fixtures';
import type { Reached } from './scope.filter';
import { filterByScope } from './scope.filter';

const reached = (provider: string, model: string, via: string): Reached => ({
  candidate: { target: { provider, model }, index: 0 },
  via,
});

describe(filterByScope.name, () => {
  const up1 = reached('up1', 'm1', 'up1/m1');
  const up2 = reached('up2', 'm1', 'up2/m1');

  it('keeps what the reaching name or the target itself allows', () => {
    const split = filterByScope([up2, up1], ['up2/m1'], 'up2/m1');
    expect(split.kept.map((c) => c.target.provider)).toEqual(['up2']);
    expect(split.skipped).toEqual([{ target: up1.candidate.target, reason: 'not_allowed' }]);
    expect(filterByScope([reached('up1', 'm1', 'fast')], ['fast'], 'fast').kept).toHaveLength(1);
    expect(filterByScope([reached('up1', 'm1', 'fast')], ['up1/*'], 'fast').kept).toHaveLength(1);
  });

  it('refuses with model_not_allowed when nothing is left', () => {
    const error = thrownBy(() => filterByScope([up1], ['up2/m1'], 'up1/m1'));
    expect(error.code).toBe(GatewayErrorCode.MODEL_NOT_ALLOWED);
  });

  it('keeps everything without a scope', () => {
    expect(filterByScope([up1, up2], undefined, 'm1').kept).toHaveLength(2);
  });
});
