/**
 * Share-link codec: a JSON payload compressed with lz-string into a URL-safe string, for
 * the `#` fragment of a link. Decoding never throws: a malformed, truncated, too long or
 * invalid link returns an error message the page can show next to an empty notebook.
 */
import LZString from 'lz-string';
import type { z } from 'zod';

/** Longest encoded payload accepted; far above any real notebook, well below URL limits of browsers. */
export const MAX_SHARE_LENGTH = 32_000;

export function encodeShare(payload: unknown): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(payload));
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function decodeShare<T>(encoded: string, schema: z.ZodType<T>): DecodeResult<T> {
  if (encoded.length === 0) return { ok: false, error: 'The link carries no experiment or notebook.' };
  if (encoded.length > MAX_SHARE_LENGTH) {
    return { ok: false, error: `The link is too long (${encoded.length} characters, at most ${MAX_SHARE_LENGTH}); share a saved run instead.` };
  }
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(encoded);
  } catch {
    json = null;
  }
  if (!json) return { ok: false, error: 'The link is malformed or truncated: copy the whole link again.' };
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return { ok: false, error: 'The link is malformed or truncated: copy the whole link again.' };
  }
  const result = schema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: `The link's content is invalid (${problems}).` };
  }
  return { ok: true, value: result.data };
}
