/**
 * Next.js configuration.
 *
 * Every route is cross-origin isolated (COOP same-origin, COEP require-corp) because
 * ONNX Runtime Web needs SharedArrayBuffer for more than one WASM thread and otherwise
 * falls back to one thread without an error. Model files and the ONNX Runtime Web
 * binaries under public/ get explicit content types, because Next.js serves an unknown
 * extension such as `.onnx` without one that browsers can rely on.
 */
import type { NextConfig } from 'next';

const crossOriginIsolation = [
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  // Keep `next dev` and `next build` from writing AGENTS.md into the checkout.
  agentRules: false,
  experimental: { agentUpgrade: false },
  poweredByHeader: false,

  // onnxruntime-node loads a native addon with require(), which bundling breaks.
  serverExternalPackages: ['onnxruntime-node'],

  async headers() {
    return [
      { source: '/:path*', headers: crossOriginIsolation },
      {
        source: '/models/:id/:file*.onnx',
        headers: [
          { key: 'Content-Type', value: 'application/octet-stream' },
          // A retrained model keeps its path, so browsers must revalidate it.
          { key: 'Cache-Control', value: 'public, max-age=0, must-revalidate' },
        ],
      },
      {
        source: '/models/:id/:file*.json',
        headers: [
          { key: 'Content-Type', value: 'application/json; charset=utf-8' },
          { key: 'Cache-Control', value: 'public, max-age=0, must-revalidate' },
        ],
      },
      {
        source: '/ort/:file*.wasm',
        headers: [{ key: 'Content-Type', value: 'application/wasm' }],
      },
      {
        source: '/tree-sitter/:file*.wasm',
        headers: [{ key: 'Content-Type', value: 'application/wasm' }],
      },
      {
        source: '/ort/:file*.mjs',
        headers: [{ key: 'Content-Type', value: 'text/javascript; charset=utf-8' }],
      },
    ];
  },
};

export default nextConfig;
