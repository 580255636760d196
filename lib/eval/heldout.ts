/**
 * Held-out evaluation items and the training unigram, as committed in eval/heldout.jsonl
 * and eval/unigram-train.json by eval/build_heldout.py.
 *
 * Each item is one test-split function with a docstring: its full text, and the prompt
 * (the text up to and including the docstring) that the syntax runs complete.
 */
import { z } from 'zod';

export const HeldoutItemSchema = z
  .object({
    /** First 16 hex digits of the SHA-256 of `text`. */
    id: z.string().regex(/^[0-9a-f]{16}$/, 'id must be 16 lowercase hex digits'),
    package: z.string(),
    path: z.string(),
    /** Token count of `text` and of `prompt` with the tokenizer the builder used. */
    tokens: z.number().int().positive(),
    promptTokens: z.number().int().positive(),
    prompt: z.string().min(1),
    text: z.string().min(1),
  })
  .refine((item) => item.text.startsWith(item.prompt) && item.text.length > item.prompt.length, {
    message: 'prompt must be a proper prefix of text',
  });

export type HeldoutItem = z.infer<typeof HeldoutItemSchema>;

/** Parses the JSON lines of a held-out file. An error names the line and the field. */
export function parseHeldout(text: string, source = 'eval/heldout.jsonl'): HeldoutItem[] {
  const items: HeldoutItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(lines[i]);
    } catch (error) {
      throw new Error(`${source} line ${i + 1} is not valid JSON (${(error as Error).message}): rebuild it with /usr/bin/python3 eval/build_heldout.py`);
    }
    const result = HeldoutItemSchema.safeParse(doc);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
      throw new Error(`${source} line ${i + 1} is not a held-out item (${problems}): rebuild it with /usr/bin/python3 eval/build_heldout.py`);
    }
    items.push(result.data);
  }
  if (items.length === 0) throw new Error(`${source} has no items: rebuild it with /usr/bin/python3 eval/build_heldout.py`);
  const ids = new Set(items.map((item) => item.id));
  if (ids.size !== items.length) throw new Error(`${source} repeats an item id: rebuild it with /usr/bin/python3 eval/build_heldout.py`);
  return items;
}

const UnigramSchema = z.object({
  source: z.string(),
  tokens: z.number().int().positive(),
  /** Count of each token id in the training split, indexed by id. */
  counts: z.array(z.number().int().nonnegative()),
});

export type UnigramCounts = z.infer<typeof UnigramSchema>;

/** Parses eval/unigram-train.json. An error names the invalid field. */
export function parseUnigram(doc: unknown, source = 'eval/unigram-train.json'): UnigramCounts {
  const result = UnigramSchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`${source} is invalid (${problems}): rebuild it with /usr/bin/python3 eval/build_heldout.py`);
  }
  return result.data;
}

/** FNV-1a hash of a string as an unsigned 32-bit integer: a stable per-item seed. */
export function stringSeed(text: string, base = 0): number {
  let hash = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
