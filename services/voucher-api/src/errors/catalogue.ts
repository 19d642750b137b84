/**
 * Every error the API can answer with: a stable code, the HTTP status, and the message a
 * person sees in Danish (first) and English. Messages never contain personal data.
 * Add new codes to the section of your area; never rename or reuse a code.
 */
export interface CatalogueEntry {
  status: number;
  da: string;
  en: string;
}

export const errorCatalogue = {
  // --- generic -----------------------------------------------------------------------------
  VALIDATION_FAILED: { status: 400, da: 'Ugyldige oplysninger.', en: 'The request is not valid.' },
  NOT_FOUND: { status: 404, da: 'Findes ikke.', en: 'Not found.' },
  INTERNAL: {
    status: 500,
    da: 'Der opstod en fejl. Prøv igen.',
    en: 'Something went wrong. Please try again.',
  },
  RATE_LIMITED: { status: 429, da: 'For mange forsøg. Vent lidt.', en: 'Too many attempts. Please wait.' },

  // --- money -------------------------------------------------------------------------------
  AMOUNT_INVALID: {
    status: 400,
    da: 'Beløbet er ugyldigt. Brug hele kroner eller kroner med højst to decimaler.',
    en: 'The amount is not valid. Use whole kroner or kroner with at most two decimals.',
  },

  // --- citizens, privacy, passes, eligibility, provider validation (engineer B) ------------
  CPR_INVALID: {
    status: 400,
    da: 'CPR-nummeret er ugyldigt.',
    en: 'The CPR number is not valid.',
  },
  BIRTH_DATE_MISMATCH: {
    status: 400,
    da: 'Fødselsdatoen passer ikke med CPR-nummeret.',
    en: 'The birth date does not match the CPR number.',
  },
  CITIZEN_ALREADY_ENROLLED: {
    status: 409,
    da: 'Borgeren er allerede tilmeldt.',
    en: 'The citizen is already enrolled.',
  },
  CITIZEN_ERASED: {
    status: 410,
    da: 'Borgerens oplysninger er slettet.',
    en: "The citizen's personal data has been erased.",
  },
  GRANT_ALREADY_GIVEN: {
    status: 409,
    da: 'Borgeren har allerede fået denne ordning.',
    en: 'The citizen has already been granted this program.',
  },
  NOT_ELIGIBLE: {
    status: 422,
    da: 'Borgeren opfylder ikke betingelserne for ordningen.',
    en: 'The citizen does not meet the conditions of the program.',
  },
  CVR_INVALID: {
    status: 400,
    da: 'CVR-nummeret er ugyldigt.',
    en: 'The CVR number is not valid.',
  },
  BIC_INVALID: {
    status: 400,
    da: 'BIC er ugyldig. Brug bankens BIC på 8 eller 11 tegn, fx DABADKKK.',
    en: "The BIC is not valid. Use the bank's 8- or 11-character BIC, e.g. DABADKKK.",
  },
  IBAN_INVALID: {
    status: 400,
    da: 'IBAN er ugyldigt. Brug et dansk IBAN (DK og 16 cifre).',
    en: 'The IBAN is not valid. Use a Danish IBAN (DK and 16 digits).',
  },
  DEBTOR_IBAN_INVALID: {
    status: 400,
    da: 'Kommunens IBAN er ugyldigt: kontrolcifrene passer ikke, eller det er ikke et dansk IBAN (DK og 16 cifre).',
    en: "The municipality's IBAN is not valid: its check digits do not match, or it is not a Danish IBAN (DK and 16 digits).",
  },
  PASS_MALFORMED: {
    status: 400,
    da: 'Passet kan ikke læses.',
    en: 'The pass cannot be read.',
  },
  PASS_FORGED: {
    status: 401,
    da: 'Passet er ikke ægte.',
    en: 'The pass is not genuine.',
  },
  PASS_REVOKED: {
    status: 410,
    da: 'Passet er spærret. Brug det nye pas.',
    en: 'The pass has been revoked. Use the new pass.',
  },
  PRESENTATION_EXPIRED: {
    status: 401,
    da: 'QR-koden er udløbet. Vis en ny kode fra appen.',
    en: 'The QR code has expired. Show a fresh code from the app.',
  },
  PRESENTATION_REPLAYED: {
    status: 409,
    da: 'QR-koden er allerede brugt. Vis en ny kode fra appen.',
    en: 'The QR code has already been used. Show a fresh code from the app.',
  },
  DEVICE_UNKNOWN: {
    status: 401,
    da: 'Telefonen er ikke registreret.',
    en: 'The phone is not registered.',
  },
  DEVICE_KEY_INVALID: {
    status: 400,
    da: 'Telefonens nøgle er ugyldig.',
    en: "The phone's key is not valid.",
  },
  ACTIVATION_CODE_INVALID: {
    status: 401,
    da: 'Aktiveringskoden er forkert.',
    en: 'The activation code is wrong.',
  },
  ACTIVATION_CODE_EXPIRED: {
    status: 410,
    da: 'Aktiveringskoden er udløbet. Kontakt kommunen for et nyt brev.',
    en: 'The activation code has expired. Contact the municipality for a new letter.',
  },
  VAULT_KEY_UNKNOWN: {
    status: 500,
    da: 'Der opstod en fejl. Prøv igen.',
    en: 'Something went wrong. Please try again.',
  },
  PROGRAM_BUDGET_EXCEEDED: {
    status: 409,
    da: 'Ordningens budget er brugt op. Der skal tilføres flere midler.',
    en: "The program's budget is used up. It needs more funding.",
  },

  // --- auth, staff, providers, terminals, programs, offers (API core) ----------------------
  UNAUTHENTICATED: { status: 401, da: 'Du skal logge ind.', en: 'You need to sign in.' },
  FORBIDDEN: { status: 403, da: 'Du har ikke adgang til dette.', en: 'You do not have access to this.' },
  LOGIN_FAILED: {
    status: 401,
    da: 'Forkert brugernavn eller adgangskode.',
    en: 'Wrong username or password.',
  },
  LOGIN_DELAYED: {
    status: 429,
    da: 'For mange forkerte forsøg herfra. Vent lidt, og prøv igen.',
    en: 'Too many wrong attempts from here. Wait a little and try again.',
  },
  USERNAME_TAKEN: { status: 409, da: 'Brugernavnet er optaget.', en: 'The username is already taken.' },
  ADMIN_ALREADY_EXISTS: {
    status: 409,
    da: 'Kommunen har allerede en administrator. Opret flere brugere i konsollen.',
    en: 'The municipality already has an admin. Create further users in the console.',
  },
  MUNICIPALITY_NAME_REQUIRED: {
    status: 400,
    da: 'Kommunen findes ikke endnu; angiv dens navn.',
    en: 'The municipality does not exist yet; give its name.',
  },
  PASSWORD_TOO_WEAK: {
    status: 400,
    da: 'Adgangskoden skal være mindst 12 tegn.',
    en: 'The password must be at least 12 characters.',
  },
  PROVIDER_CVR_TAKEN: {
    status: 409,
    da: 'En udbyder med dette CVR-nummer findes allerede.',
    en: 'A provider with this CVR number already exists.',
  },
  PROVIDER_NOT_PENDING: {
    status: 409,
    da: 'Udbyderen er allerede godkendt.',
    en: 'The provider has already been approved.',
  },
  PROVIDER_NOT_ACTIVE: { status: 409, da: 'Udbyderen er ikke aktiv.', en: 'The provider is not active.' },
  PAIRING_CODE_INVALID: {
    status: 401,
    da: 'Parringskoden er forkert, brugt eller udløbet.',
    en: 'The pairing code is wrong, used or expired.',
  },
  TERMINAL_ALREADY_REGISTERED: {
    status: 409,
    da: 'Scanneren er allerede registreret.',
    en: 'The scanner is already registered.',
  },
  TERMINAL_ALREADY_REVOKED: {
    status: 409,
    da: 'Scanneren er allerede spærret.',
    en: 'The scanner has already been revoked.',
  },
  PROGRAM_RULES_INVALID: {
    status: 400,
    da: 'Ordningens regler hænger ikke sammen.',
    en: "The program's rules are not consistent.",
  },
  PROGRAM_NOT_DRAFT: {
    status: 409,
    da: 'Ordningen er allerede offentliggjort.',
    en: 'The program has already been published.',
  },
  PROGRAM_NOT_FUNDED: {
    status: 409,
    da: 'Ordningen skal have et budget, før den offentliggøres.',
    en: 'The program must be funded before it is published.',
  },
  PROGRAM_ENDED: { status: 409, da: 'Ordningen er udløbet.', en: 'The program has ended.' },
  NOT_READY: {
    status: 503,
    da: 'Tjenesten er ikke klar. Prøv igen om lidt.',
    en: 'The service is not ready. Please try again shortly.',
  },

  // --- redemption at the counter (H-redeem) ------------------------------------------------
  MUNICIPALITY_NOT_ON_CHAIN: {
    status: 409,
    da: 'Kommunen er ikke oprettet i betalingssystemet endnu. Platformens administratorer skal oprette den og give tjenesten dens roller først.',
    en: "The municipality is not set up in the payment ledger yet. The platform's admins must create it and give the service its roles first.",
  },
  PASSKEY_AWAITING_ADMINS: {
    status: 409,
    da: 'Din nøgle venter på, at kommunens administratorer godkender den i betalingssystemet. Prøv igen, når den er godkendt.',
    en: "Your passkey is waiting for the municipality's admins to approve it in the payment ledger. Try again once it is approved.",
  },
  CHAIN_UNAVAILABLE: {
    status: 503,
    da: 'Forbindelsen til betalingssystemet mangler. Prøv igen om lidt.',
    en: 'The payment ledger cannot be reached. Please try again shortly.',
  },
  ACCOUNT_NOT_ACTIVE: {
    status: 403,
    da: 'Passet er ikke aktivt. Borgeren skal kontakte kommunen.',
    en: 'The pass is not active. The citizen should contact the municipality.',
  },
  SCAN_NOT_FOUND: {
    status: 404,
    da: 'Scanningen findes ikke. Scan passet igen.',
    en: 'The scan was not found. Scan the pass again.',
  },
  SCAN_EXPIRED: {
    status: 410,
    da: 'Scanningen er for gammel. Scan passet igen.',
    en: 'The scan is too old. Scan the pass again.',
  },
  TERMINAL_UNKNOWN: {
    status: 403,
    da: 'Scanneren er ikke registreret hos denne udbyder.',
    en: 'The scanner is not registered with this provider.',
  },
  TERMINAL_REVOKED: {
    status: 403,
    da: 'Scanneren er spærret. Par en ny scanner.',
    en: 'The scanner has been revoked. Pair a new scanner.',
  },
  PROVIDER_SUSPENDED: {
    status: 403,
    da: 'Udbyderen er suspenderet og kan ikke modtage klip eller betaling.',
    en: 'The provider is suspended and cannot accept vouchers.',
  },
  REDEMPTION_SIGNATURE_INVALID: {
    status: 401,
    da: 'Scannerens underskrift er ugyldig.',
    en: "The scanner's signature is not valid.",
  },
  REDEMPTION_DEADLINE_PASSED: {
    status: 400,
    da: 'Anmodningen er udløbet. Prøv igen.',
    en: 'The request has expired. Please try again.',
  },
  REDEMPTION_DEADLINE_TOO_FAR: {
    status: 400,
    da: 'Anmodningens udløbstid ligger for langt ude i fremtiden. Tjek scannerens ur, og prøv igen.',
    en: "The request's expiry lies too far in the future. Check the scanner's clock and try again.",
  },
  SCAN_LIMIT_PROVIDER: {
    status: 429,
    da: 'Jeres sted har scannet for mange pas på kort tid. Vent et øjeblik, og scan igen.',
    en: 'Your place has scanned too many passes in a short time. Wait a moment and scan again.',
  },
  SCAN_LIMIT_PASS: {
    status: 429,
    da: 'Dette pas er scannet for mange gange på kort tid. Vent et øjeblik, og scan igen.',
    en: 'This pass has been scanned too many times in a short time. Wait a moment and scan again.',
  },
  REDEMPTION_ID_REUSED: {
    status: 422,
    da: 'Transaktionsnummeret er allerede brugt til en anden betaling.',
    en: 'The redemption id has already been used for a different payment.',
  },
  VOUCHER_NOT_GRANTED: {
    status: 409,
    da: 'Borgeren har ikke denne ordning.',
    en: 'The citizen does not have this voucher.',
  },
  PROGRAM_NOT_ACTIVE: {
    status: 409,
    da: 'Ordningen kan ikke bruges nu (ikke startet, udløbet eller sat i bero).',
    en: 'The program cannot be used now (not started, ended or suspended).',
  },
  CATEGORY_NOT_ALLOWED: {
    status: 403,
    da: 'Ordningen gælder ikke for denne type udbyder.',
    en: 'The voucher is not valid for this kind of provider.',
  },
  PROVIDER_NOT_ALLOWED: {
    status: 403,
    da: 'Ordningen gælder kun hos udvalgte udbydere, og denne er ikke med.',
    en: 'The voucher is only valid at selected providers, and this is not one of them.',
  },
  USES_EXHAUSTED_THIS_WINDOW: {
    status: 409,
    da: 'Klippene for denne periode er brugt. Næste mulige brug står i svaret.',
    en: 'The uses for this period are spent. The next possible use is in the response.',
  },
  USES_EXHAUSTED: {
    status: 409,
    da: 'Alle klip er brugt.',
    en: 'All uses have been spent.',
  },
  AMOUNT_OVER_CAP: {
    status: 422,
    da: 'Beløbet er højere end ordningens maksimum pr. gang.',
    en: "The amount is above the program's maximum per use.",
  },
  CREDIT_INSUFFICIENT: {
    status: 409,
    da: 'Der er ikke penge nok tilbage på ordningen.',
    en: 'There is not enough credit left on the voucher.',
  },
  REDEMPTION_ID_USED_ON_CHAIN: {
    status: 409,
    da: 'Transaktionsnummeret er allerede brugt. Scanneren skal bruge et nyt nummer.',
    en: 'The redemption id has already been used. The scanner must use a new id.',
  },
  REDEMPTION_REJECTED: {
    status: 409,
    da: 'Betalingen blev afvist. Intet er trukket.',
    en: 'The payment was refused. Nothing has been charged.',
  },
  // --- corrections: void and refund at the counter (issue #16) -----------------------------
  REVERSAL_ORIGINAL_PENDING: {
    status: 409,
    da: 'Betalingen er ikke bekræftet endnu. Vent et øjeblik, og prøv igen.',
    en: 'The payment has not been confirmed yet. Wait a moment and try again.',
  },
  REVERSAL_ORIGINAL_REJECTED: {
    status: 409,
    da: 'Betalingen blev afvist, så der er intet at tilbageføre.',
    en: 'The payment was refused, so there is nothing to give back.',
  },
  REVERSAL_ORIGINAL_UNKNOWN: {
    status: 409,
    da: 'Betalingen findes ikke i betalingssystemet, så den kan ikke tilbageføres.',
    en: 'The payment is not on the ledger, so it cannot be given back.',
  },
  REVERSAL_SIGNATURE_INVALID: {
    status: 401,
    da: 'Scannerens underskrift på tilbageførslen er ugyldig.',
    en: "The scanner's signature on the reversal is not valid.",
  },
  REVERSAL_DEADLINE_PASSED: {
    status: 400,
    da: 'Tilbageførslen er udløbet. Prøv igen.',
    en: 'The reversal has expired. Please try again.',
  },
  REVERSAL_ID_REUSED: {
    status: 422,
    da: 'Nummeret er allerede brugt til en anden tilbageførsel.',
    en: 'The reversal id has already been used for a different reversal.',
  },
  REVERSAL_ID_USED: {
    status: 409,
    da: 'Scanneren har allerede brugt nummeret. Scanneren skal bruge et nyt nummer.',
    en: 'The scanner has already used this id. The scanner must use a new id.',
  },
  REVERSAL_EXCEEDS_REDEMPTION: {
    status: 409,
    da: 'Beløbet er større end det, der kan tilbageføres af betalingen. Det mulige beløb står i svaret.',
    en: 'The amount is more than can be given back of the payment. The possible amount is in the response.',
  },
  REVERSAL_VOID_NOT_WHOLE: {
    status: 422,
    da: 'En annullering gælder hele betalingen. Brug en refusion til en del af beløbet.',
    en: 'A void gives back the whole payment. Use a refund for part of the amount.',
  },
  REVERSAL_PERIOD_INVALID: {
    status: 422,
    da: 'En annullering skal nævne betalingens periode, og en refusion periode 0.',
    en: "A void must name the payment's period, and a refund period 0.",
  },
  REVERSAL_PERIOD_CLOSED: {
    status: 409,
    da: 'Betalingens periode er lukket, så den kan ikke længere annulleres. Lav en refusion i stedet.',
    en: "The payment's period has closed, so it can no longer be voided. Make a refund instead.",
  },
  REVERSAL_NOT_COVERED: {
    status: 409,
    da: 'Refusionen er større end det, stedet har til gode i den åbne periode, og ordningens frie budget kan ikke lægge resten ud. Kommunen skal tilføre ordningen midler først.',
    en: "The refund is more than the provider is owed in the open period, and the program's free budget cannot advance the rest. The municipality must fund the program first.",
  },
  REVERSAL_DISPUTE_MISMATCH: {
    status: 422,
    da: 'Indsigelsen hører ikke til denne betaling.',
    en: 'The dispute does not belong to this payment.',
  },
  REVERSAL_MUNICIPALITY_PAUSED: {
    status: 409,
    da: 'Kommunens ordninger er midlertidigt sat i bero. Prøv igen senere.',
    en: "The municipality's vouchers are paused for now. Please try again later.",
  },
  REVERSAL_REJECTED: {
    status: 409,
    da: 'Tilbageførslen blev afvist. Intet er ændret.',
    en: 'The reversal was refused. Nothing has changed.',
  },
  // --- periods, settlement, bank file, program end (H-settle) ------------------------------
  PERIOD_NOT_OPEN: {
    status: 409,
    da: 'Perioden er ikke den åbne periode. Den er måske allerede lukket.',
    en: 'That period is not the open period. It may already be closed.',
  },
  PERIOD_NOT_CLOSED: {
    status: 409,
    da: 'Perioden er ikke lukket endnu.',
    en: 'The period has not been closed yet.',
  },
  PERIOD_CLOSE_FAILED: {
    status: 409,
    da: 'Blockchainen afviste at lukke perioden.',
    en: 'The chain refused to close the period.',
  },
  SETTLEMENT_EXISTS: {
    status: 409,
    da: 'Der findes allerede en afregning for perioden.',
    en: 'A settlement for this period already exists.',
  },
  SETTLEMENT_RECONCILIATION_MISMATCH: {
    status: 409,
    da: 'Databasen og blockchainen stemmer ikke overens for perioden. Se afstemningsrapporten.',
    en: 'The database and the chain disagree for this period. See the reconciliation report.',
  },
  SETTLEMENT_SELF_APPROVAL: {
    status: 403,
    da: 'Den der har foreslået afregningen, kan ikke godkende den. En anden medarbejder skal godkende.',
    en: 'The officer who proposed the settlement cannot approve it. Another officer must approve.',
  },
  SETTLEMENT_NOT_PROPOSED: {
    status: 409,
    da: 'Afregningen er ikke foreslået (eller er allerede godkendt).',
    en: 'The settlement is not in the proposed state (or has already been approved).',
  },
  SETTLEMENT_NOT_APPROVED: {
    status: 409,
    da: 'Afregningen skal godkendes, før den kan udbetales.',
    en: 'The settlement must be approved before it can be paid.',
  },
  SETTLEMENT_NOT_PAID: {
    status: 409,
    da: 'Afregningen er ikke fuldt udbetalt endnu.',
    en: 'The settlement has not been fully paid yet.',
  },
  SETTLEMENT_CHAIN_REFUSED: {
    status: 409,
    da: 'Blockchainen afviste afregningstrinnet.',
    en: 'The chain refused the settlement step.',
  },
  SETTLEMENT_NOTHING_TO_PAY: {
    status: 409,
    da: 'Perioden havde ingen indløsninger, så der er ingen betalingsfil.',
    en: 'The period had no redemptions, so there is no payment file.',
  },
  PROVIDER_ALREADY_ADMITTED: {
    status: 409,
    da: 'Leverandøren er allerede godkendt i kommunen.',
    en: 'The provider is already admitted in the municipality.',
  },
  DEBTOR_IBAN_IS_CREDITOR: {
    status: 409,
    da: 'Kontoen tilhører en leverandør. Kommunen skal betale fra sin egen konto.',
    en: 'The account belongs to a provider. The municipality must pay from its own account.',
  },
  BANK_ACCOUNT_NOT_CONFIGURED: {
    status: 409,
    da: 'Kommunens bankkonto (IBAN og BIC) er ikke sat op.',
    en: "The municipality's bank account (IBAN and BIC) is not configured.",
  },
  PROGRAM_STILL_RUNNING: {
    status: 409,
    da: 'Ordningen er ikke udløbet endnu.',
    en: 'The program has not ended yet.',
  },
  PROGRAM_RECLAIM_FAILED: {
    status: 409,
    da: 'Blockchainen afviste at føre de ubrugte midler tilbage.',
    en: 'The chain refused to reclaim the unspent funds.',
  },

  // --- disputes, receivables (issue #16, disputes and settlement) ----------------------------
  DISPUTE_ALREADY_OPEN: {
    status: 409,
    da: 'Der er allerede en åben indsigelse mod denne betaling.',
    en: 'There is already an open dispute about this payment.',
  },
  DISPUTE_REDEMPTION_NOT_CONFIRMED: {
    status: 409,
    da: 'Betalingen er ikke gennemført, så der kan ikke gøres indsigelse mod den.',
    en: 'The payment has not gone through, so it cannot be disputed.',
  },
  DISPUTE_REDEMPTION_REVERSED: {
    status: 409,
    da: 'Betalingen er allerede ført tilbage.',
    en: 'The payment has already been given back.',
  },
  DISPUTE_NOT_OPEN: {
    status: 409,
    da: 'Indsigelsen er allerede afgjort eller refunderet.',
    en: 'The dispute has already been decided or refunded.',
  },
  RECEIVABLE_EXCEEDED: {
    status: 409,
    da: 'Beløbet er større end det, leverandøren skylder.',
    en: 'The amount is more than the provider owes.',
  },
  RECEIVABLE_SETTLE_FAILED: {
    status: 409,
    da: 'Blockchainen afviste at indfri leverandørens gæld.',
    en: "The chain refused to settle the provider's debt.",
  },
  RECEIVABLE_ALREADY_SETTLED: {
    status: 409,
    da: 'Indbetalingen er allerede registreret med denne anmodning. Der skal ikke skrives under igen.',
    en: 'This payment has already been recorded under this request. There is nothing more to sign.',
  },
  RECEIVABLE_REQUEST_CONFLICT: {
    status: 409,
    da: 'Anmodningen er allerede brugt til en anden leverandør eller et andet beløb. Start en ny anmodning.',
    en: 'This request was already used for another provider or amount. Start a new request.',
  },

  // --- staff passkeys (issue "Keys in people's hands") -------------------------------------
  PASSKEY_CHALLENGE_INVALID: {
    status: 400,
    da: 'Oprettelsen af adgangsnøglen er udløbet eller allerede brugt. Start forfra.',
    en: 'The passkey enrolment has expired or was already used. Please start again.',
  },
  PASSKEY_REGISTRATION_INVALID: {
    status: 400,
    da: 'Adgangsnøglen kunne ikke bekræftes. Prøv igen på den samme enhed.',
    en: 'The passkey could not be verified. Please try again on the same device.',
  },
  PASSKEY_ALGORITHM_UNSUPPORTED: {
    status: 400,
    da: 'Enheden lavede en nøgle af en type, som ikke kan bruges. Kun P-256-nøgler (ES256) kan bruges.',
    en: 'The device made a key of a type that cannot be used. Only P-256 (ES256) keys are supported.',
  },
  PASSKEY_ALREADY_ENROLLED: {
    status: 409,
    da: 'Denne adgangsnøgle er allerede tilknyttet.',
    en: 'This passkey is already enrolled.',
  },
  PASSKEY_DEVELOPMENT_KEY_REFUSED: {
    status: 403,
    da: 'Udviklingsnøgler kan kun bruges i demoen. Brug en rigtig adgangsnøgle.',
    en: 'Development keys are only accepted in the demo. Please use a real passkey.',
  },
  PASSKEY_ASSERTION_INVALID: {
    status: 400,
    da: 'Underskriften med adgangsnøglen er ikke gyldig.',
    en: 'The passkey signature is not valid.',
  },
  PASSKEY_NOT_ENROLLED: {
    status: 403,
    da: 'Adgangsnøglen er ikke tilknyttet dig eller er spærret.',
    en: 'The passkey is not enrolled for you or has been revoked.',
  },
  PASSKEY_REQUIRED: {
    status: 403,
    da: 'Handlingen skal underskrives med din egen adgangsnøgle. Opret en under Mine adgangsnøgler.',
    en: 'This action must be signed with your own passkey. Enrol one under My passkeys.',
  },

  // --- officers' signatures on chain, and the bank-confirmed burn ---------------------------
  OFFICER_SIGNATURE_EXPIRED: {
    status: 409,
    da: 'Underskriften er udløbet. Hent det, der skal underskrives, igen og underskriv på ny.',
    en: 'The signature has expired. Fetch what is to be signed again and sign anew.',
  },
  SETTLEMENT_TOTAL_CHANGED: {
    status: 409,
    da: 'Periodens afstemte total er en anden end den, du har kontrolleret. Hent forslaget igen og underskriv på ny.',
    en: 'The period’s reconciled total differs from the one you checked. Fetch the proposal again and sign anew.',
  },
  FUNDING_KEY_CONFLICT: {
    status: 409,
    da: 'Bevillingsanmodningen findes allerede med en anden ordning eller et andet beløb. Start en ny anmodning.',
    en: 'This funding request already exists for another program or amount. Start a new request.',
  },
  FUNDING_SELF_APPROVAL: {
    status: 403,
    da: 'Den der har anmodet om bevillingen, kan ikke godkende den. En anden medarbejder skal underskrive.',
    en: 'The officer who requested the funding cannot approve it. Another officer must sign.',
  },
  FUNDING_ALREADY_FUNDED: {
    status: 409,
    da: 'Bevillingen er allerede indsat på ordningen. Intet er ændret.',
    en: 'This funding has already been added to the program. Nothing was changed.',
  },
  FUNDING_CHAIN_REFUSED: {
    status: 409,
    da: 'Blockchainen afviste bevillingen.',
    en: 'The chain refused the funding.',
  },
  BANK_CONFIRMATION_NOTHING_TO_BURN: {
    status: 409,
    da: 'Der er ingen udbetalinger, som banken har bekræftet, og som venter på at blive afsluttet på kæden.',
    en: 'No payouts confirmed by the bank are waiting to be completed on chain.',
  },
  BANK_CONFIRMATION_STALE: {
    status: 409,
    da: 'Listen over bekræftede udbetalinger er ændret, siden du hentede den. Hent den igen og underskriv på ny.',
    en: 'The list of confirmed payouts changed since you fetched it. Fetch it again and sign anew.',
  },

  // --- bank notifications: camt.054/camt.053 confirming payouts ----------------------------
  BANK_NOTIFICATION_INVALID: {
    status: 400,
    da: 'Filen er ikke en læsbar bankkvittering (ISO 20022 camt.054.001.02 eller camt.053.001.02). Intet er ændret.',
    en: 'The file is not a readable bank notification (ISO 20022 camt.054.001.02 or camt.053.001.02). Nothing was changed.',
  },
  BANK_NOTIFICATION_CURRENCY: {
    status: 422,
    da: 'Bankkvitteringen indeholder en udbetaling i en anden valuta end danske kroner. Intet er ændret.',
    en: 'The bank notification holds a payment in a currency other than Danish kroner. Nothing was changed.',
  },
  BANK_NOTIFICATION_TOO_LARGE: {
    status: 413,
    da: 'Filen er for stor til at være en bankkvittering.',
    en: 'The file is too large to be a bank notification.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;
