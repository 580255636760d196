/**
 * Frame around every chart: a title, an optional note under it, and buttons that export
 * the chart's SVG (the one marked `data-chart-svg`) as an SVG or PNG file.
 */
'use client';

import { useId, useRef, useState, type ReactNode } from 'react';
import { exportPng, exportSvg } from './export';
import { FONT_FAMILY, FONT_SIZE } from './theme';
import styles from './charts.module.css';

export interface ChartFrameProps {
  title: string;
  /** data-testid of the frame, which is the chart's root element. */
  testId: string;
  /** File name of exports, without extension; defaults to the title. */
  filename?: string;
  /** One line under the title, e.g. a summary statistic. */
  note?: ReactNode;
  children: ReactNode;
}

export function ChartFrame({ title, testId, filename, note, children }: ChartFrameProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  const chartSvg = (): SVGSVGElement | null => bodyRef.current?.querySelector<SVGSVGElement>('svg[data-chart-svg]') ?? null;
  const run = async (format: 'svg' | 'png') => {
    const svg = chartSvg();
    if (!svg) {
      setError('Nothing to export yet: the chart has not been drawn.');
      return;
    }
    try {
      setError(null);
      if (format === 'svg') exportSvg(svg, filename ?? title);
      else await exportPng(svg, filename ?? title);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <figure className={styles.frame} data-testid={testId}>
      <figcaption className={styles.header}>
        <div className={styles.titles}>
          <span className={styles.title}>{title}</span>
          {note ? <span className={styles.note}>{note}</span> : null}
        </div>
        <div className={styles.actions}>
          <button type='button' className={styles.button} data-testid='chart-export-svg' onClick={() => void run('svg')} title={`Download "${title}" as SVG`}>
            SVG
          </button>
          <button type='button' className={styles.button} data-testid='chart-export-png' onClick={() => void run('png')} title={`Download "${title}" as PNG`}>
            PNG
          </button>
        </div>
      </figcaption>
      <div ref={bodyRef} className={styles.body}>
        {children}
      </div>
      {error ? (
        <p className={styles.error} role='alert'>
          {error}
        </p>
      ) : null}
    </figure>
  );
}

export interface ChartSvgProps {
  width: number;
  height: number;
  /** Accessible name of the chart, also the tooltip of the whole drawing. */
  title: string;
  /** Accessible description: what is plotted against what. */
  description?: string;
  children: ReactNode;
}

/** Renders the chart's own SVG, the one the export buttons save. */
export function ChartSvg({ width, height, title, description, children }: ChartSvgProps) {
  const id = useId();
  return (
    <svg
      data-chart-svg=''
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role='img'
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-desc` : undefined}
      fontFamily={FONT_FAMILY}
      fontSize={FONT_SIZE}
    >
      <title id={`${id}-title`}>{title}</title>
      {description ? <desc id={`${id}-desc`}>{description}</desc> : null}
      {children}
    </svg>
  );
}
