/**
 * Cell labels for the token grid: whitespace is drawn as visible marks (space ·, newline ↵,
 * tab →, carriage return ␍), so a cell that holds only indentation or a line break still
 * shows what it contains.
 */
const VISIBLE: Record<string, string> = { ' ': '·', '\n': '↵', '\t': '→', '\r': '␍' };

export function visibleWhitespace(text: string): string {
  return text.replace(/[ \n\t\r]/g, (c) => VISIBLE[c]);
}

export type CellState = 'masked' | 'new' | 'settled' | 'end';

/**
 * Classifies a canvas position for drawing. A token revealed by the latest step is `new`,
 * even an EOS; older EOS and pad tokens are `end`.
 */
export function cellState(token: number, revealedAtStep: number, stepCount: number, maskId: number, endIds: number[]): CellState {
  if (token === maskId) return 'masked';
  if (revealedAtStep === stepCount - 1) return 'new';
  return endIds.includes(token) ? 'end' : 'settled';
}
