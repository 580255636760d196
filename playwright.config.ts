/**
 * Playwright end-to-end tests in Debian's Chromium against a production build.
 *
 * The web server is `next build` followed by `next start` on E2E_PORT (default 3100).
 * Chromium runs headless with `--enable-unsafe-webgpu`, which gives a SwiftShader
 * (software) WebGPU adapter on machines without a GPU, and with background networking
 * switched off, so the only requests are the ones the tests make to the app.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// The binary itself: /usr/bin/chromium is a wrapper script that adds its own flags.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH to the browser binary.`);
}

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  // Each test loads a model and runs it; SwiftShader WebGPU is slow.
  timeout: 300_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--enable-unsafe-webgpu',
      ],
    },
  },
  webServer: {
    command: `npm run build && node_modules/.bin/next start -p ${PORT}`,
    url: `${BASE_URL}/`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    env: { NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
