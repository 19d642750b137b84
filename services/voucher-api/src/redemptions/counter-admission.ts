/**
 * How many redemptions may use the database at once. At a rush the requests outnumber the
 * connection pool many times over; if all of them queue for connections, the outbox sender
 * (which turns pending redemptions into confirmed ones) waits behind them and every answer
 * comes late. Holding the surplus here, first come first served, leaves the sender and the
 * waiters connections of their own. It changes no rule: the per-account lock and the
 * database constraints still decide.
 */
const DATABASE_SLOTS = 6;

let inUse = 0;
const queue: (() => void)[] = [];

export async function withCounterSlot<T>(work: () => Promise<T>): Promise<T> {
  if (inUse >= DATABASE_SLOTS) await new Promise<void>((resolve) => queue.push(resolve));
  else inUse += 1;
  try {
    return await work();
  } finally {
    const next = queue.shift();
    // The slot passes straight to the next in line, so `inUse` stays as it is.
    if (next) next();
    else inUse -= 1;
  }
}
