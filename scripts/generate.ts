/**
 * Entry point of `npm run generate`; the command itself lives in server/cli.ts.
 * Logs go to stderr at level `warn` unless LOG_LEVEL sets another level, because stdout
 * carries the generated code.
 */
process.env.LOG_LEVEL ??= 'warn';
process.env.LOG_DESTINATION ??= 'stderr';

async function main(): Promise<void> {
  const { runCli } = await import('../server/cli');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.exitCode = await runCli(process.argv.slice(2), undefined, controller.signal);
}

void main();
