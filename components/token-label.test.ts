import { describe, expect, it } from 'vitest';
import { cellState, visibleWhitespace } from './token-label';

describe('visibleWhitespace', () => {
  it('marks spaces, newlines, tabs and carriage returns', () => {
    expect(visibleWhitespace('    return x\n')).toBe('····return·x↵');
    expect(visibleWhitespace('\t\r\n')).toBe('→␍↵');
  });

  it('leaves other text unchanged', () => {
    expect(visibleWhitespace('def')).toBe('def');
    expect(visibleWhitespace('')).toBe('');
  });
});

describe('cellState', () => {
  const maskId = 1;
  const ends = [2, 3];

  it('classifies masked, new, settled and end cells', () => {
    expect(cellState(1, -1, 4, maskId, ends)).toBe('masked');
    expect(cellState(50, 3, 4, maskId, ends)).toBe('new');
    expect(cellState(50, 2, 4, maskId, ends)).toBe('settled');
    expect(cellState(2, 2, 4, maskId, ends)).toBe('end');
  });

  it('highlights an end token revealed by the latest step', () => {
    expect(cellState(2, 3, 4, maskId, ends)).toBe('new');
  });
});
