import { errorText } from './chain-errors.ts';
import type { ChainLogger } from './config.ts';

export interface PollingLoop {
  start(): void;
  /** Stops after the step in progress, if any, has finished. */
  stop(): Promise<void>;
  /** Runs the next step now instead of after the interval (e.g. a route awaits a row). */
  wake(): void;
}

export interface PollingLoopOptions {
  intervalMs: number;
  /** Failures double the pause up to this, so a lost RPC node is not hammered. */
  maxBackoffMs: number;
  logger: ChainLogger;
}

export function createPollingLoop(
  name: string,
  step: () => Promise<unknown>,
  options: PollingLoopOptions,
): PollingLoop {
  let stopped = true;
  let running: Promise<void> | undefined;
  let wakePending = false;
  let wakeSleeper: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakePending || stopped) {
        wakePending = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      }
      wakeSleeper = done;
    });

  async function run() {
    let failures = 0;
    while (!stopped) {
      wakePending = false;
      try {
        await step();
        failures = 0;
      } catch (error) {
        failures += 1;
        options.logger.warn(
          { loop: name, failures, error: errorText(error) },
          'chain loop step failed, backing off',
        );
      }
      await sleep(
        failures === 0
          ? options.intervalMs
          : Math.min(options.maxBackoffMs, options.intervalMs * 2 ** failures),
      );
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      running = run();
    },
    async stop() {
      stopped = true;
      wakeSleeper?.();
      await running;
      running = undefined;
    },
    wake() {
      if (wakeSleeper) wakeSleeper();
      else wakePending = true;
    },
  };
}
