/**
 * Inline diff of one step: the visible text after the step, with what the step revealed,
 * substituted, remasked, inserted and deleted highlighted, and runs of masks shown as one
 * placeholder with a count.
 */
import type { DiffPiece, EditKind } from './edit-ops';
import styles from './charts.module.css';

export interface EditDiffProps {
  pieces: DiffPiece[];
  tokenText: (id: number) => string;
  maskId: number;
}

/** Placeholder drawn for a masked position. */
export const MASK_PLACEHOLDER = '░';

const CLASS_OF: Record<EditKind, string> = {
  reveal: styles.diffReveal,
  substitution: styles.diffSubstitution,
  remask: styles.diffRemask,
  insertion: styles.diffInsertion,
  deletion: styles.diffDeletion,
};

const WHITESPACE_MARK: Record<string, string> = { ' ': '·', '\n': '↵\n', '\t': '→', '\r': '␍' };

/**
 * Returns the text of a highlighted token. In a token of only whitespace each character
 * gets a visible mark (· → ␍, and ↵ before a line break), so the highlight has something
 * to cover and the layout keeps its line breaks and widths.
 */
function highlightedText(text: string): string {
  if (/\S/.test(text)) return text;
  return text.replace(/[ \n\t\r]/g, (c) => WHITESPACE_MARK[c]);
}

export function EditDiff({ pieces, tokenText, maskId }: EditDiffProps) {
  const text = (id: number) => (id === maskId ? MASK_PLACEHOLDER : highlightedText(tokenText(id)));
  return (
    <pre className={styles.diff} data-testid='edit-diff'>
      <code>
        {pieces.map((piece, i) => {
          switch (piece.kind) {
            case 'keep':
              return <span key={i}>{tokenText(piece.token)}</span>;
            case 'masks':
              return (
                <span key={i} className={styles.diffMask} title={`${piece.count} masked position${piece.count === 1 ? '' : 's'}`}>
                  {piece.count === 1 ? MASK_PLACEHOLDER : `${MASK_PLACEHOLDER}×${piece.count}`}
                </span>
              );
            case 'insertion':
            case 'deletion':
              return (
                <span key={i} className={CLASS_OF[piece.kind]} data-op={piece.kind} title={piece.kind}>
                  {text(piece.token)}
                </span>
              );
            case 'reveal':
              return (
                <span key={i} className={CLASS_OF.reveal} data-op='reveal' title={`revealed ${JSON.stringify(tokenText(piece.to))}`}>
                  {text(piece.to)}
                </span>
              );
            case 'remask':
              return (
                <span key={i} className={CLASS_OF.remask} data-op='remask' title={`remasked ${JSON.stringify(tokenText(piece.from))}`}>
                  <span className={styles.diffFrom}>{text(piece.from)}</span>
                  {MASK_PLACEHOLDER}
                </span>
              );
            default:
              return (
                <span key={i} className={CLASS_OF.substitution} data-op='substitution' title={`${JSON.stringify(tokenText(piece.from))} → ${JSON.stringify(tokenText(piece.to))}`}>
                  <span className={styles.diffFrom}>{text(piece.from)}</span>
                  {text(piece.to)}
                </span>
              );
          }
        })}
      </code>
    </pre>
  );
}
