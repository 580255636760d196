/**
 * Share links: the URL fragment carries a whole notebook (`#n=…`) or one experiment config
 * (`#e=…`), as a SharePayload compressed by lib/share. The fragment never reaches the
 * server, so a shared notebook stays between the people who hold the link.
 */
import type { ExperimentConfig } from '@/lib/config';
import { SharePayloadSchema, type Notebook } from '@/lib/notebook';
import { decodeShare, encodeShare, MAX_SHARE_LENGTH } from '@/lib/share';

export type OpenedLink =
  | { kind: 'none' }
  | { kind: 'notebook'; notebook: Notebook }
  | { kind: 'experiment'; config: ExperimentConfig }
  | { kind: 'error'; message: string };

const PREFIX = { notebook: 'n=', experiment: 'e=' } as const;

/** Reads a location hash such as "#n=…"; a hash of another form (a heading anchor) is no link. */
export function readShareHash(hash: string): OpenedLink {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const kind = fragment.startsWith(PREFIX.notebook) ? 'notebook' : fragment.startsWith(PREFIX.experiment) ? 'experiment' : null;
  if (kind === null) return { kind: 'none' };

  const decoded = decodeShare(fragment.slice(2), SharePayloadSchema);
  if (!decoded.ok) return { kind: 'error', message: decoded.error };
  const payload = decoded.value;
  if (payload.kind !== kind) {
    const carried = payload.kind === 'experiment' ? 'an experiment' : 'a notebook';
    return { kind: 'error', message: `The link's content is invalid: a ${kind} link (#${PREFIX[kind]}) carries ${carried}.` };
  }
  return payload.kind === 'notebook' ? { kind: 'notebook', notebook: payload.notebook } : { kind: 'experiment', config: payload.config };
}

/** Returns the fragment of a notebook link, or null when it is longer than a link may be. */
export function notebookFragment(notebook: Notebook): string | null {
  const encoded = encodeShare({ kind: 'notebook', notebook });
  return encoded.length > MAX_SHARE_LENGTH ? null : `#${PREFIX.notebook}${encoded}`;
}

export function experimentFragment(config: ExperimentConfig): string | null {
  const encoded = encodeShare({ kind: 'experiment', config });
  return encoded.length > MAX_SHARE_LENGTH ? null : `#${PREFIX.experiment}${encoded}`;
}
