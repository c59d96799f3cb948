/** Metadata schema objects served by `/api/v1/metadata/schema/{account|visitor}`. */

interface FieldSpec {
  Type: string;
  DisplayName: string;
  ElementType: string;
  ElementFormat: string;
  Dirty: boolean;
  isHidden: boolean;
  isDeleted: boolean;
  isCalculated: boolean;
  isPerApp: boolean;
  isPromoted: boolean;
  neverIndex: boolean;
  sample?: unknown;
}

function field(type: string, displayName: string, sample?: unknown, extra: Partial<FieldSpec> = {}): FieldSpec {
  return {
    Type: type,
    DisplayName: displayName,
    ElementType: '',
    ElementFormat: '',
    Dirty: false,
    isHidden: false,
    isDeleted: false,
    isCalculated: false,
    isPerApp: false,
    isPromoted: false,
    neverIndex: false,
    ...(sample === undefined ? {} : { sample }),
    ...extra,
  };
}

const VISITOR_SCHEMA = {
  agent: {
    email: field('string', 'Email', 'pat.lee@example.com'),
    full_name: field('string', 'Full name', 'Pat Lee'),
    role: field('string', 'Role', 'admin'),
    language: field('string', 'Language', 'en-US'),
  },
  auto: {
    accountid: field('string', 'Account ID', 'acme-corp'),
    firstvisit: field('time', 'First visit', 1704726000000),
    lastvisit: field('time', 'Last visit', 1724760312456),
    lastbrowsername: field('string', 'Last browser name', 'Chrome'),
    lastoperatingsystem: field('string', 'Last operating system', 'Mac OS X'),
    lastservername: field('string', 'Last server name', 'app.example.com'),
    lastupdated: field('time', 'Last updated', 1724760312456, { isCalculated: true }),
    id: field('string', 'Visitor ID', 'user-1042'),
  },
  custom: {
    plan_tier: field('string', 'Plan tier', 'pro', { isPromoted: true }),
    seats: field('integer', 'Seats', 25),
  },
  pendo: {
    donotprocess: field('boolean', 'Do not process', false, { isHidden: true }),
    designerenabled: field('boolean', 'Designer enabled', false),
  },
};

const ACCOUNT_SCHEMA = {
  agent: {
    name: field('string', 'Name', 'Acme Corp'),
    is_paying: field('boolean', 'Is paying', true),
    monthly_value: field('float', 'Monthly value', 1299.5),
  },
  auto: {
    firstvisit: field('time', 'First visit', 1704726000000),
    lastvisit: field('time', 'Last visit', 1724760312456),
    lastupdated: field('time', 'Last updated', 1724760312456, { isCalculated: true }),
    id: field('string', 'Account ID', 'acme-corp'),
  },
  custom: {
    industry: field('string', 'Industry', 'Software', { isPromoted: true }),
    region: field('string', 'Sales region', 'NA'),
  },
  pendo: {},
};

/** The schema for `account` or `visitor`; undefined for any other name. */
export function metadataSchema(kind: string): object | undefined {
  if (kind === 'visitor') return VISITOR_SCHEMA;
  if (kind === 'account') return ACCOUNT_SCHEMA;
  return undefined;
}
