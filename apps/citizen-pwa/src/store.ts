import { createStore, del, get, set } from 'idb-keyval';

/**
 * What the phone keeps between visits, in IndexedDB so the pass works offline. The private
 * key is a non-extractable CryptoKey: IndexedDB holds the handle, script can sign with it,
 * but nothing (not even this app) can read the key out or send it anywhere.
 */
const store = createStore('citizen-pass', 'keyval');

export interface Session {
  token: string;
  expiresAt: number;
  accountId: string;
}

export interface DevicePass {
  accountId: string;
  deviceId: string;
  privateKey: CryptoKey;
}

export interface Cached<T> {
  fetchedAt: number;
  data: T;
}

export const sessionStore = {
  read: () => get<Session>('session', store),
  write: (session: Session) => set('session', session, store),
  clear: () => del('session', store),
};

export const deviceStore = {
  read: () => get<DevicePass>('device', store),
  write: (device: DevicePass) => set('device', device, store),
  clear: () => del('device', store),
};

export async function readCached<T>(key: string): Promise<Cached<T> | undefined> {
  return get<Cached<T>>(`cache:${key}`, store);
}

export async function writeCached<T>(key: string, data: T): Promise<void> {
  await set(`cache:${key}`, { fetchedAt: Date.now(), data } satisfies Cached<T>, store);
}
