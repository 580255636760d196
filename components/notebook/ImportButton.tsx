'use client';
/** Opens a trajectory JSON file and passes its name and text on; the store validates it. */
import { useId, useRef } from 'react';
import styles from './Notebook.module.css';

export function ImportButton({ onFile, disabled }: { onFile(name: string, text: string): void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <>
      <input
        ref={input}
        id={id}
        type='file'
        accept='application/json,.json'
        className={styles.fileInput}
        data-testid='import-trajectory'
        tabIndex={-1}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file.name, await file.text());
        }}
      />
      <button type='button' className={styles.linkButton} disabled={disabled} onClick={() => input.current?.click()}>
        Import trajectory…
      </button>
    </>
  );
}
