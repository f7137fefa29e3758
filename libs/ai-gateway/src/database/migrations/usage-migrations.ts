import { AddClientRequestId1765152000000 } from './add-client-request-id.migration';
import { AddCostSaved1763942400000 } from './add-cost-saved.migration';
import { AddIngressReasoning1765324800000 } from './add-ingress-reasoning.migration';
import { AddKeyMultiUser1765065600000 } from './add-key-multi-user.migration';
import { AddProviderObjectOwner1765497600000 } from './add-provider-object-owner.migration';
import { CreateGatewayKeys1763856000000 } from './create-gateway-keys.migration';
import { CreateJobRecords1765584000000 } from './create-job-records.migration';
import { AddGuardrails1765756800000 } from './add-guardrails.migration';
import { AddPromptText1765670400000 } from './add-prompt-text.migration';
import { CreateProviderObjects1765411200000 } from './create-provider-objects.migration';
import { CreateStoredResponses1765238400000 } from './create-stored-responses.migration';
import { CreateUsageLog1763769600000 } from './create-usage-log.migration';

/** Every migration of the gateway's store (usage log, gateway keys), oldest first; append new ones at the end. */
export const USAGE_MIGRATIONS = [
  CreateUsageLog1763769600000,
  CreateGatewayKeys1763856000000,
  AddCostSaved1763942400000,
  AddKeyMultiUser1765065600000,
  AddClientRequestId1765152000000,
  CreateStoredResponses1765238400000,
  AddIngressReasoning1765324800000,
  CreateProviderObjects1765411200000,
  AddProviderObjectOwner1765497600000,
  CreateJobRecords1765584000000,
  AddPromptText1765670400000,
  AddGuardrails1765756800000,
];
