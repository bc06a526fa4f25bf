import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { DestinationStream } from 'pino';
import { createLogger, scrub } from '../config/logging';

// R-O7: the SDK's own log lines (workflow and activity failures, whose messages may name a person)
// go through the project's redacting logger instead of the SDK's console logger.
const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/** `metricsBindAddress`: the SDK's Prometheus exporter (worker/metrics.ts), when metrics are on. */
export function installRuntimeLogger(
  level: string,
  stream?: DestinationStream,
  metricsBindAddress?: string,
): void {
  const log = createLogger(level, 'worker', stream);
  Runtime.install({
    ...(metricsBindAddress && {
      telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBindAddress } } },
    }),
    logger: new DefaultLogger(LEVELS[level] ?? 'INFO', ({ level: l, message, meta }) => {
      const fn = l === 'ERROR' ? log.error : l === 'WARN' ? log.warn : l === 'INFO' ? log.info : log.debug;
      fn.call(log, meta ?? {}, scrub(message));
    }),
  });
}
