/**
 * Cell colours of the trajectory player, shared by its CSS and the GIF export.
 *
 * Player.module.css declares these as custom properties on the player element (with the
 * same defaults), and the GIF export reads them back from that element, so a theme that
 * overrides a property changes both. Settled and edited cells are tinted by confidence:
 * alpha = base + scale × confidence, the formula the CSS writes with calc().
 */

export interface PlayerColors {
  surface: string;
  text: string;
  muted: string;
  maskedA: string;
  maskedB: string;
  newBg: string;
  newEdge: string;
  /** "r g b" of settled cells, drawn with a confidence alpha. */
  settledRgb: string;
  /** "r g b" of edited cells, drawn with a confidence alpha. */
  editedRgb: string;
  editedEdge: string;
  remaskedA: string;
  remaskedB: string;
  remaskedEdge: string;
  endBg: string;
  blockEdge: string;
}

export const DEFAULT_PLAYER_COLORS: PlayerColors = {
  surface: '#ffffff',
  text: '#1b1f24',
  muted: '#5f6b7a',
  maskedA: '#e6e9ee',
  maskedB: '#f1f3f6',
  newBg: '#fff3d6',
  newEdge: '#f59e0b',
  settledRgb: '37 99 235',
  editedRgb: '147 51 234',
  editedEdge: '#9333ea',
  remaskedA: '#fde4e4',
  remaskedB: '#fff4f4',
  remaskedEdge: '#e11d48',
  endBg: '#eceff3',
  blockEdge: '#94a3b8',
};

/** CSS custom property of each colour, as Player.module.css declares it. */
export const COLOR_PROPERTIES: Record<keyof PlayerColors, string> = {
  surface: '--player-surface',
  text: '--player-text',
  muted: '--player-muted',
  maskedA: '--player-masked-a',
  maskedB: '--player-masked-b',
  newBg: '--player-new-bg',
  newEdge: '--player-new-edge',
  settledRgb: '--player-settled-rgb',
  editedRgb: '--player-edited-rgb',
  editedEdge: '--player-edited-edge',
  remaskedA: '--player-remasked-a',
  remaskedB: '--player-remasked-b',
  remaskedEdge: '--player-remasked-edge',
  endBg: '--player-end-bg',
  blockEdge: '--player-block-edge',
};

/** Tint of a settled (or edited) grid cell: the alpha Player.module.css computes. */
export const CONFIDENCE_ALPHA = { base: 0.08, scale: 0.5 } as const;

export function confidenceAlpha(confidence: number): number {
  return CONFIDENCE_ALPHA.base + CONFIDENCE_ALPHA.scale * Math.min(1, Math.max(0, confidence));
}

/** Reads the player's colours from an element's computed custom properties, with defaults for missing ones. */
export function readPlayerColors(element: Element): PlayerColors {
  const style = getComputedStyle(element);
  const colors = { ...DEFAULT_PLAYER_COLORS };
  for (const key of Object.keys(COLOR_PROPERTIES) as (keyof PlayerColors)[]) {
    const value = style.getPropertyValue(COLOR_PROPERTIES[key]).trim();
    if (value !== '') colors[key] = value;
  }
  return colors;
}
