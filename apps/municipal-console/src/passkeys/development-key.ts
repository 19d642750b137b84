import {
  authenticatorData,
  base64url,
  clientDataJSON,
  concatBytes,
  rawSignatureToDer,
} from './webauthn-format.ts';

/**
 * The development-only key ("Udviklingsnøgle – kun til demo"): where the browser offers no
 * authenticator, the console makes a P-256 key with WebCrypto whose private half cannot be
 * exported, keeps it in this browser's IndexedDB, and signs with it in WebAuthn's own format,
 * so the API and the contract check it exactly as a passkey. It is only as safe as the browser
 * profile, so the API accepts it only in the demo.
 */
export interface DevelopmentKey {
  /** The id the API gave the key at enrolment (derived from the public key). */
  credentialId: string;
  /** Whose key it is: one browser may be used by several demo users in turn. */
  staffId: string;
  rpId: string;
  privateKey: CryptoKey;
  /** The authenticator counter: grows with every signature, as the API expects. */
  counter: number;
}

export interface WebAuthnAssertionJSON {
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
}

const DATABASE = 'voucher-console-keys';
const STORE = 'development-keys';

/** A new key pair; only the public half can ever leave the browser. */
export async function createDevelopmentKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

/** The public key as a JWK (WebCrypto always lets the public half be exported). */
export async function publicJwk(keyPair: CryptoKeyPair): Promise<JsonWebKey> {
  return crypto.subtle.exportKey('jwk', keyPair.publicKey);
}

/**
 * What navigator.credentials.get would hand back over `challenge`: flags UP|UV, the counter,
 * a clientDataJSON for this page's origin, and a DER signature over
 * authenticatorData ‖ sha256(clientDataJSON).
 */
export async function signAsAuthenticator(
  privateKey: CryptoKey,
  params: { challenge: Uint8Array; rpId: string; counter: number; origin?: string },
): Promise<WebAuthnAssertionJSON> {
  const encoder = new TextEncoder();
  const rpIdHash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(params.rpId)));
  const data = authenticatorData(rpIdHash, params.counter);
  const json = clientDataJSON(params.challenge, params.origin ?? location.origin);
  const clientDataHash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(json)));
  const raw = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    concatBytes(data, clientDataHash),
  );
  return {
    authenticatorData: base64url(data),
    clientDataJSON: base64url(encoder.encode(json)),
    signature: base64url(rawSignatureToDer(new Uint8Array(raw))),
  };
}

export async function saveDevelopmentKey(key: DevelopmentKey): Promise<void> {
  await withStore('readwrite', (store) => store.put(key));
}

/** The staff member's stored key among the enrolled ones (by credential id), if this browser has it. */
export async function findDevelopmentKey(
  staffId: string,
  credentialIds: readonly string[],
): Promise<DevelopmentKey | undefined> {
  for (const credentialId of credentialIds) {
    const key = await withStore<DevelopmentKey | undefined>('readonly', (store) => store.get(credentialId));
    if (key && key.staffId === staffId) return key;
  }
  return undefined;
}

/** Signs with a stored key, moving its counter on first so a signature is never counted twice. */
export async function signWithDevelopmentKey(
  key: DevelopmentKey,
  challenge: Uint8Array,
): Promise<WebAuthnAssertionJSON> {
  const next = { ...key, counter: key.counter + 1 };
  await saveDevelopmentKey(next);
  return signAsAuthenticator(key.privateKey, { challenge, rpId: key.rpId, counter: next.counter });
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'credentialId' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest,
): Promise<T> {
  const database = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result as T);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}
