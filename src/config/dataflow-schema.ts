import { z } from 'zod';
import { AEP_PRODUCTION_URLS } from '../aep/config';
import { DEFAULT_MAPPINGS } from '../workflows/dataflow/fields';
import {
  AepDescriptionSchema as AepDescriptionRules,
  AepNameSchema as AepNameRules,
  MappingsSchema as MappingsRules,
} from '../workflows/dataflow/schema';
import { IntervalSchema } from './capture-schema';
import { sameRules } from './workflow-rules';

const AepNameSchema = sameRules(AepNameRules);
const AepDescriptionSchema = sameRules(AepDescriptionRules);
const MappingsSchema = sameRules(MappingsRules);

const clientIdHint = 'is required (the OAuth server-to-server client id, also the API key)';
const secretHint = 'is required: env:NAME, file:PATH, or the value itself with PENDOFLOW_ENCRYPTION_KEY set';

/** pendoflow's dataflow file: one AEP streaming dataflow for the Pendo source. */
export const DataflowConfigSchema = z
  .object({
    name: z
      .string({ message: 'is required (letters, digits, . _ -)' })
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
        'must start with a letter or digit and use only letters, digits, . _ - (at most 63)',
      ),
    description: AepDescriptionSchema.default('Pendo webhook events streamed into AEP.'),
    orgId: z
      .string({ message: 'is required (the IMS org id, XXXX@AdobeOrg)' })
      .regex(/^[A-Za-z0-9]+@AdobeOrg$/, 'must be an IMS org id such as 0E1A…@AdobeOrg'),
    sandbox: z
      .string({ message: 'is required (the sandbox name, e.g. prod)' })
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lower-case sandbox name such as prod'),
    clientId: z.string({ message: clientIdHint }).min(1, clientIdHint),
    clientSecret: z.string({ message: secretHint }).min(1, secretHint),
    imsUrl: z.url('must be a URL such as https://ims-na1.adobelogin.com').default(AEP_PRODUCTION_URLS.imsUrl),
    platformUrl: z.url('must be a URL such as https://platform.adobe.io').default(AEP_PRODUCTION_URLS.platformUrl),
    /** The flow's name; `dataflow update` can change it later. */
    flowName: AepNameSchema.optional(),
    /** The Pendo "account", i.e. its source connection. */
    account: z
      .object({ name: AepNameSchema.optional(), description: AepDescriptionSchema.optional() })
      .strict()
      .default({}),
    target: z
      .object({
        /** Schema Registry title of the target schema (unique in the sandbox). */
        schema: AepNameSchema.optional(),
        dataset: AepNameSchema.optional(),
      })
      .strict()
      .default({}),
    /** Defaults to the tutorial's fields; uniqueId is mandatory. */
    mappings: MappingsSchema.default(DEFAULT_MAPPINGS.map((m) => ({ ...m }))),
    /** How often flow runs are read. */
    monitorInterval: IntervalSchema.default(5 * 60_000),
  })
  .strict();

export type DataflowConfig = z.output<typeof DataflowConfigSchema>;
