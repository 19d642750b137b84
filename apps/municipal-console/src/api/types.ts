/** Response shapes of the API routes the console uses (see the API's /docs/json). */
export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresInSeconds: number;
  role: string;
  municipalityId: number;
  providerId: number | null;
}

export interface EnrolResponse {
  citizenId: string;
  accountId: string;
  passSerial: string;
  activationCode: string;
  activationCodeExpiresAt: string;
}

export interface GrantView {
  id: string;
  programId: string;
  programName: string;
  amountOre: string | null;
  uses: number | null;
  grantedAt: string;
}

export interface Citizen {
  id: string;
  municipalityId: number;
  enrolledAt: string;
  cpr: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
  birthDate: string;
  childrenBirthYears: number[];
  contact: { email?: string; phone?: string };
  householdIncomeOre: string | null;
  account: { accountId: string; status: string };
  currentPass: { serial: string; issuedAt: string } | null;
  grants: GrantView[];
}

export interface ProgramEligibility {
  programId: string;
  programName: string;
  eligible: boolean;
  reasons: string[];
  alreadyGranted: boolean;
}

export interface ReissueResponse {
  passSerial: string;
  activationCode: string;
  activationCodeExpiresAt: string;
}

export interface BulkGrantResponse {
  programId: string;
  granted: number;
  alreadyGranted: number;
  notEligible: number;
  budgetExhausted: boolean;
}

export interface Program {
  id: string;
  municipalityId: number;
  name: string;
  description: string;
  kind: 'credit' | 'uses' | string;
  creditOre: string | null;
  usesPerGrant: number | null;
  maxPerUseOre: string;
  usesPerWindow: number | null;
  windowDays: number | null;
  categories: string[];
  validFrom: string;
  validUntil: string;
  budgetOre: string;
  status: 'draft' | 'published' | 'suspended' | string;
}
