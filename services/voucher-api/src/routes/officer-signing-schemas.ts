import { type TProperties, Type } from '@fastify/type-provider-typebox';

const Base64url = Type.String({ minLength: 1, maxLength: 4096, pattern: '^[A-Za-z0-9_-]+$' });

/** What navigator.credentials.get answered, as the console's signChallenge hands it over. */
export const OfficerAssertion = Type.Object(
  {
    credentialId: { ...Base64url, description: 'Which of the caller’s passkeys signed (base64url)' },
    authenticatorData: { ...Base64url, description: 'base64url' },
    clientDataJSON: { ...Base64url, description: 'base64url; its challenge is the digest' },
    signature: { ...Base64url, description: 'DER ECDSA P-256 signature, base64url' },
  },
  { additionalProperties: false, description: 'The officer’s passkey assertion over the challenge’s digest' },
);

/** The fields every challenge answers besides its own: when the signature expires, and what is signed. */
const challengeFields = {
  deadline: Type.Integer({ description: 'Unix seconds: the signature is refused on chain after it' }),
  digest: Type.String({
    pattern: '^0x[0-9a-f]{64}$',
    description: 'The hub’s officerActionDigest (EIP-712): the WebAuthn challenge',
  }),
};

/** A challenge's answer: the step's own fields, in words a person can check, plus deadline and digest. */
export const ChallengeResponse = <T extends TProperties>(fields: T, description: string) =>
  Type.Object({ ...fields, ...challengeFields }, { description });

/** A signed relay's body: the step's own fields plus the challenge's deadline and the assertion. */
export const SignedBody = <T extends TProperties>(fields: T) =>
  Type.Object(
    {
      ...fields,
      deadline: Type.Integer({ minimum: 0, description: 'The challenge’s deadline, as signed' }),
      assertion: OfficerAssertion,
    },
    { additionalProperties: false },
  );

/** Who signed a step, with the passkey's device name. */
export const OfficerSignatureView = Type.Object({
  step: Type.Union(
    [
      Type.Literal('close'),
      Type.Literal('propose'),
      Type.Literal('approve'),
      Type.Literal('bank-confirmation'),
      Type.Literal('fund'),
      Type.Literal('reclaim'),
      Type.Literal('receivable'),
    ],
    { description: 'The signed step' },
  ),
  username: Type.String({ description: 'The officer who signed' }),
  deviceName: Type.String({ description: 'The passkey’s device name' }),
  signedAt: Type.String({ format: 'date-time', description: 'When the service relayed the signature' }),
});
