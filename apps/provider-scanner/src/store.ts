import { createStore, del, get, set, update } from 'idb-keyval';

/**
 * What the scanner keeps on the device (IndexedDB). The terminal's secp256k1 key has to be
 * raw bytes here (WebCrypto has no secp256k1); it never leaves the device, and the chain
 * only knows its address.
 */
const store = createStore('provider-scanner', 'keyval');

export interface StaffSession {
  token: string;
  expiresAt: number;
  providerId: number;
  username: string;
}

export interface Terminal {
  address: `0x${string}`;
  privateKey: `0x${string}`;
  label: string;
  providerId: number;
  /** The next redemption id to use; advanced (and saved) before each id is ever sent. */
  nextRedemptionId: string;
}

/** A redemption signed and about to be sent; kept until the API gave a final answer. */
export interface PendingRedemption {
  body: {
    scanId: string;
    terminal: string;
    redemptionId: string;
    programId: string;
    amountOre: string;
    deadline: number;
    signature: string;
  };
  programName: string;
  /** Absent in a redemption stored by an older version of the app. */
  municipalityName?: string;
  createdAt: number;
}

export type ReversalKind = 'void' | 'refund';
export type ReversalReason = 'mistyped' | 'cancelled' | 'returned' | 'dispute' | 'other';

/**
 * A void or refund signed and about to be sent; kept until the API gave a final answer, so a
 * dropped connection is retried with the same id and body (given back at most once).
 */
export interface PendingReversal {
  /** POST /redemptions/:terminal/:redemptionId/reversals of the original redemption. */
  path: string;
  body: {
    /** The terminal that signs (this device), which may not be the one that took the payment. */
    terminal: string;
    reversalId: string;
    kind: ReversalKind;
    reason: ReversalReason;
    amountOre: string;
    period: number;
    deadline: number;
    signature: string;
    disputeId?: string;
  };
  programName: string;
  createdAt: number;
}

export const sessionStore = {
  read: () => get<StaffSession>('session', store),
  write: (session: StaffSession) => set('session', session, store),
  clear: () => del('session', store),
};

export const terminalStore = {
  read: () => get<Terminal>('terminal', store),
  write: (terminal: Terminal) => set('terminal', terminal, store),
};

export const pendingStore = {
  read: () => get<PendingRedemption>('pending', store),
  write: (pending: PendingRedemption) => set('pending', pending, store),
  clear: () => del('pending', store),
};

export const pendingReversalStore = {
  read: () => get<PendingReversal>('pending-reversal', store),
  write: (pending: PendingReversal) => set('pending-reversal', pending, store),
  clear: () => del('pending-reversal', store),
};

/**
 * Takes the next redemption id and saves the incremented counter in one IndexedDB
 * transaction, before anything is signed or sent: an id is never handed out twice, even
 * if the page dies right after. Voids and refunds take their ids from this same counter: on
 * chain a terminal's redemption and reversal ids are one space.
 */
export async function takeRedemptionId(): Promise<bigint> {
  let taken: bigint | undefined;
  await update<Terminal>(
    'terminal',
    (terminal) => {
      if (!terminal) throw new Error('no terminal');
      taken = BigInt(terminal.nextRedemptionId);
      return { ...terminal, nextRedemptionId: (taken + 1n).toString() };
    },
    store,
  );
  if (taken === undefined) throw new Error('no terminal');
  return taken;
}

/**
 * Never below what the API has already seen from this terminal (a re-installed app or a
 * restored backup could otherwise reuse an id, which the chain would refuse).
 */
export async function raiseRedemptionIdAbove(highestSeen: bigint): Promise<void> {
  await update<Terminal>(
    'terminal',
    (terminal) => {
      if (!terminal) throw new Error('no terminal');
      const next = BigInt(terminal.nextRedemptionId);
      return next > highestSeen ? terminal : { ...terminal, nextRedemptionId: (highestSeen + 1n).toString() };
    },
    store,
  );
}
