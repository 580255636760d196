import { MARKER_COLOR } from './theme';

export interface StepMarkerProps {
  /** Pixel position along the axis; nothing is drawn when undefined. */
  at: number | undefined;
  /** Length of the line across the plot. */
  length: number;
  label: string;
  orient?: 'vertical' | 'horizontal';
  /** Width of the plot, so a label near the right edge is placed to the left of the line. */
  plotWidth?: number;
}

/** Draws the current-step marker: a vermillion line across the plot, labelled at its start. */
export function StepMarker({ at, length, label, orient = 'vertical', plotWidth = Infinity }: StepMarkerProps) {
  if (at === undefined || !Number.isFinite(at)) return null;
  if (orient === 'horizontal') {
    return (
      <g data-testid='step-marker' transform={`translate(0,${at})`}>
        <line x1={0} x2={length} stroke={MARKER_COLOR} strokeWidth={1.5} />
      </g>
    );
  }
  const nearRightEdge = at > plotWidth - 48;
  return (
    <g data-testid='step-marker' transform={`translate(${at},0)`}>
      <line y1={0} y2={length} stroke={MARKER_COLOR} strokeWidth={1.5} />
      <text y={-3} x={nearRightEdge ? -3 : 3} textAnchor={nearRightEdge ? 'end' : 'start'} fill={MARKER_COLOR} fontWeight={600}>
        {label}
      </text>
    </g>
  );
}
