import { BudgetLimitsConfig, BudgetsConfig } from './budget-config.schema';
import { defineConfigSection } from './config-section';

/** `budgets`: spending caps of users and teams (providers and keys carry their own). */
export const budgetsSection = defineConfigSection({
  key: 'budgets',
  ownKeyedMaps: ['users', 'teams'],
  build: (section, context) => {
    const budgets = context.validate(BudgetsConfig, section, 'budgets');
    for (const owner of ['users', 'teams'] as const) {
      budgets[owner] = context.keyedMap(BudgetLimitsConfig, budgets[owner], `budgets.${owner}`);
    }
    return budgets;
  },
});
