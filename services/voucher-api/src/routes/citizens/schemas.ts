import { Type } from '@sinclair/typebox';
import { OreString } from '../schemas.ts';

/** Citizen ids are UUIDs; anything else is a 404 before the database is asked. */
export const CitizenIdParams = Type.Object({
  id: Type.String({
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  }),
});

const CprText = Type.String({
  minLength: 10,
  maxLength: 16,
  description: 'CPR number, DDMMYY-SSSS or 10 digits',
});
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });
const AccountHex = Type.String({ pattern: '^0x[0-9a-f]{64}$', description: 'Pseudonymous account id' });
const DateTime = Type.String({ format: 'date-time' });

export const PostalAddress = Type.Object(
  {
    street: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.String({ pattern: '^[0-9]{4}$' }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const Contact = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ]{8,20}$' })),
  },
  { additionalProperties: false },
);

export const EnrolBody = Type.Object(
  {
    cpr: CprText,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: PostalAddress,
    birthDate: IsoDate,
    childrenBirthYears: Type.Array(Type.Integer({ minimum: 1900, maximum: 2200 }), {
      maxItems: 20,
      default: [],
    }),
    contact: Type.Optional(Contact),
    householdIncomeOre: Type.Optional(OreString),
  },
  { additionalProperties: false },
);

export const EnrolResponse = Type.Object({
  citizenId: Type.String(),
  accountId: AccountHex,
  passSerial: Type.String(),
  activationCode: Type.String({ description: 'Shown once; printed on the letter. Only a hash is stored.' }),
  activationCodeExpiresAt: DateTime,
});

export const LookupBody = Type.Object({ cpr: CprText }, { additionalProperties: false });
export const LookupResponse = Type.Object({ citizenId: Type.String() });

const GrantView = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  programName: Type.String(),
  amountOre: Type.Union([Type.String(), Type.Null()]),
  uses: Type.Union([Type.Integer(), Type.Null()]),
  grantedAt: DateTime,
});

export const CitizenResponse = Type.Object({
  id: Type.String(),
  municipalityId: Type.Integer(),
  enrolledAt: DateTime,
  cpr: Type.String(),
  name: Type.String(),
  address: PostalAddress,
  birthDate: Type.String(),
  childrenBirthYears: Type.Array(Type.Integer()),
  contact: Contact,
  householdIncomeOre: Type.Union([Type.String(), Type.Null()]),
  account: Type.Object({ accountId: AccountHex, status: Type.String() }),
  currentPass: Type.Union([Type.Object({ serial: Type.String(), issuedAt: DateTime }), Type.Null()]),
  grants: Type.Array(GrantView),
});

export const EligibilityResponse = Type.Array(
  Type.Object({
    programId: Type.String(),
    programName: Type.String(),
    eligible: Type.Boolean(),
    reasons: Type.Array(Type.String()),
    alreadyGranted: Type.Boolean(),
  }),
);

export const GrantBody = Type.Object(
  { programId: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) },
  { additionalProperties: false },
);

export const GrantResponse = Type.Object({
  grantId: Type.String(),
  programId: Type.String(),
  accountId: AccountHex,
  amountOre: Type.Union([Type.String(), Type.Null()]),
  uses: Type.Union([Type.Integer(), Type.Null()]),
  chainStatus: Type.Union([Type.Literal('confirmed'), Type.Literal('pending'), Type.Literal('failed')], {
    description:
      'Whether the chain has taken the grant yet. Pending grants become usable when the outbox confirms them.',
  }),
});

export const BulkGrantResponse = Type.Object({
  programId: Type.String(),
  granted: Type.Integer(),
  alreadyGranted: Type.Integer(),
  notEligible: Type.Integer(),
  budgetExhausted: Type.Boolean(),
});

export const ReissueResponse = Type.Object({
  passSerial: Type.String(),
  activationCode: Type.String(),
  activationCodeExpiresAt: DateTime,
});

/** The art. 15 export is a document for the person, not an API contract: described loosely. */
export const ExportResponse = Type.Object({}, { additionalProperties: true });
