/** Fetches a file as bytes, reporting progress as the body streams in. */

/** Minimum time between progress reports, so a fast download does not flood the page. */
const PROGRESS_INTERVAL_MS = 100;

export type ProgressCallback = (loadedBytes: number, totalBytes: number | null) => void;

export async function fetchBytes(url: string, onProgress: ProgressCallback): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Failed to fetch ${url}: HTTP ${response.status} ${response.statusText}. Check that the model files exist under public/models/.`);
  }
  const header = response.headers.get('content-length');
  const totalBytes = header !== null && Number.isFinite(Number(header)) ? Number(header) : null;

  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress(bytes.length, totalBytes);
    return bytes;
  }

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  let reportedAt = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loadedBytes += value.length;
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_INTERVAL_MS) {
      onProgress(loadedBytes, totalBytes);
      reportedAt = now;
    }
  }
  onProgress(loadedBytes, totalBytes);

  const bytes = new Uint8Array(loadedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
