import type { TraceStep } from '../lib/trace';
import { describeStep } from '../lib/trace';
import { TableWrap } from './ui';

/** A request's decision trace: each candidate in order and what became of it. */
export function TraceTable({
  steps,
  label = 'Decision trace',
}: {
  steps: TraceStep[];
  label?: string;
}) {
  if (steps.length === 0) {
    return (
      <p class="subtle">
        No provider was tried: the request was refused before routing, or answered from the cache.
      </p>
    );
  }
  return (
    <TableWrap label={label}>
      <table data-testid="decision-trace">
        <caption class="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              #
            </th>
            <th scope="col">Provider</th>
            <th scope="col">Model</th>
            <th scope="col">Outcome</th>
            <th scope="col">What happened</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step, index) => (
            <tr key={index} class={`trace-${step.kind}`}>
              <td class="num">{index + 1}</td>
              <th scope="row">{step.provider}</th>
              <td>{step.model}</td>
              <td>
                <span class={`badge badge-${step.kind}`}>
                  <code>{step.outcome}</code>
                </span>
              </td>
              <td>
                {describeStep(step)}
                {step.kind === 'failed' && index < steps.length - 1
                  ? ' → fell back to the next'
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
