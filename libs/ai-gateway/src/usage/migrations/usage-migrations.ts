import { CreateUsageLog1763769600000 } from './create-usage-log.migration';

/** Every usage-log migration, oldest first; append new ones at the end. */
export const USAGE_MIGRATIONS = [CreateUsageLog1763769600000];
