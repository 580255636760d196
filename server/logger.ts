/**
 * Server logger: pino, with the level taken from LOG_LEVEL (default `info`).
 *
 * The runner passes the same level on to ONNX Runtime, so `LOG_LEVEL=debug` shows both.
 * Modules take a child logger that names them: `logger.child({ module })`. Lines go to
 * stdout, or to stderr when LOG_DESTINATION=stderr (the CLI does this, because its
 * stdout carries the generated code).
 */
import pino from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

function levelFromEnvironment(): LogLevel {
  const value = (process.env.LOG_LEVEL ?? 'info').toLowerCase();
  if ((LEVELS as readonly string[]).includes(value)) return value as LogLevel;

  // Not thrown, because a typo in LOG_LEVEL should not stop the server.
  console.warn(`[logger] invalid LOG_LEVEL ${JSON.stringify(value)}, using "info". Allowed: ${LEVELS.join(', ')}.`);
  return 'info';
}

const destination = pino.destination({ dest: process.env.LOG_DESTINATION === 'stderr' ? 2 : 1, sync: true });

export const logger = pino({ level: levelFromEnvironment() }, destination);

// Errors already logged where their ids were known. An outer handler that receives the
// same error, or an error wrapping it, skips it instead of logging it a second time.
const loggedErrors = new WeakSet<object>();

export function markLogged(error: unknown): void {
  if (typeof error === 'object' && error !== null) loggedErrors.add(error);
}

/** Returns whether the error, or the error it wraps as `cause`, was already logged. */
export function isLogged(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return loggedErrors.has(error) || isLogged((error as { cause?: unknown }).cause);
}
