import { AddCostSaved1763942400000 } from './add-cost-saved.migration';
import { CreateGatewayKeys1763856000000 } from './create-gateway-keys.migration';
import { CreateUsageLog1763769600000 } from './create-usage-log.migration';

/** Every migration of the gateway's store (usage log, gateway keys), oldest first; append new ones at the end. */
export const USAGE_MIGRATIONS = [
  CreateUsageLog1763769600000,
  CreateGatewayKeys1763856000000,
  AddCostSaved1763942400000,
];
