'use client';
/**
 * Share button: copies a link to the clipboard and shows it in a field, so it can also be
 * copied by hand where the clipboard is not available (an insecure origin, a denied permission).
 */
import { useEffect, useRef, useState } from 'react';
import styles from './Notebook.module.css';

export interface ShareButtonProps {
  label: string;
  testId: string;
  /** Returns the link, or null when it cannot be built (an invalid field, or too long). */
  link(): string | null;
  /** Message shown when `link()` returns null. */
  unavailable: string;
  className?: string;
  /** Side of the button the link panel lines up with. */
  align?: 'left' | 'right';
}

/** Calls `onDismiss` on Escape or a pointer press outside `root`, while `open`. */
export function useDismiss(root: { current: HTMLElement | null }, open: boolean, onDismiss: () => void): void {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) dismiss.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') dismiss.current();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, root]);
}

export function ShareButton({ label, testId, link, unavailable, className, align = 'left' }: ShareButtonProps) {
  const [shown, setShown] = useState<{ url: string | null; copied: boolean } | null>(null);
  const root = useRef<HTMLSpanElement>(null);
  useDismiss(root, shown !== null, () => setShown(null));

  const share = async () => {
    const url = link();
    if (url === null) {
      setShown({ url: null, copied: false });
      return;
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // The field below still offers the link.
    }
    setShown({ url, copied });
  };

  return (
    <span className={styles.shareWrap} ref={root}>
      <button type='button' className={className ?? styles.button} data-testid={testId} onClick={() => void share()}>
        {label}
      </button>
      {shown && (
        <div className={styles.shareLink} data-align={align} data-testid={`${testId}-result`}>
          {shown.url === null ? (
            <span className={styles.error}>{unavailable}</span>
          ) : (
            <>
              <span>{shown.copied ? 'Link copied:' : 'Copy this link:'}</span>
              <input readOnly value={shown.url} data-testid={`${testId}-link`} aria-label='Share link' onFocus={(e) => e.target.select()} />
            </>
          )}
          <button type='button' className={styles.linkButton} onClick={() => setShown(null)}>
            Close
          </button>
        </div>
      )}
    </span>
  );
}
