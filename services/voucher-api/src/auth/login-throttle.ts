/** When sign-in attempts of one username from one client are slowed down. */
export interface LoginThrottleSettings {
  /** Wrong passwords in a row a client may type before it has to wait. */
  readonly freeFailures: number;
  /** The first wait; each further failure doubles it. */
  readonly firstDelaySeconds: number;
  /** The longest wait. */
  readonly maxDelaySeconds: number;
}

interface Failures {
  count: number;
  lastAtMs: number;
}

/** Pairs kept at most; the oldest are forgotten first, so a flood of guesses cannot fill memory. */
const MAX_TRACKED = 100_000;

/**
 * Progressive delays per (username, client) instead of locking the account: whoever guesses a
 * password from one address waits longer and longer between tries there, while the account's
 * owner signing in from elsewhere is not slowed at all, so nobody can lock the finance team out.
 * A pair's failures are forgotten after twice the longest wait without a new try (30 minutes
 * by default); a successful sign-in from that client forgets them at once.
 *
 * The state lives in this process (like @fastify/rate-limit's): with several API instances a
 * client spreading its guesses over them waits on each in turn, so the delays still grow.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly settings: LoginThrottleSettings,
    private readonly now: () => Date,
  ) {}

  /** Seconds this client must still wait before trying this username again; 0 when it may. */
  waitSeconds(username: string, client: string): number {
    const entry = this.current(keyOf(username, client));
    if (!entry) return 0;
    const readyAtMs = entry.lastAtMs + this.delayMs(entry.count);
    return Math.max(0, Math.ceil((readyAtMs - this.now().getTime()) / 1000));
  }

  recordFailure(username: string, client: string): void {
    const key = keyOf(username, client);
    const count = (this.current(key)?.count ?? 0) + 1;
    this.failures.delete(key);
    this.failures.set(key, { count, lastAtMs: this.now().getTime() });
    if (this.failures.size > MAX_TRACKED) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  recordSuccess(username: string, client: string): void {
    this.failures.delete(keyOf(username, client));
  }

  /** The wait after `count` failures in a row: none for the first few, then doubling. */
  delayMs(count: number): number {
    const { freeFailures, firstDelaySeconds, maxDelaySeconds } = this.settings;
    if (count <= freeFailures) return 0;
    const doublings = Math.min(count - freeFailures - 1, 30);
    return Math.min(firstDelaySeconds * 2 ** doublings, maxDelaySeconds) * 1000;
  }

  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (!entry) return undefined;
    const forgetAfterMs = 2 * Math.max(this.delayMs(entry.count), this.settings.maxDelaySeconds * 1000);
    if (this.now().getTime() - entry.lastAtMs > forgetAfterMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}

function keyOf(username: string, client: string): string {
  return `${username.toLowerCase()}\n${client}`;
}
