/**
 * Width of a chart's container, kept current with a ResizeObserver, so each chart draws
 * its SVG at the pixel width it has rather than scaling a fixed drawing.
 */
'use client';

import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Returns a ref for the container element and its content width in whole pixels. The width
 * is 0 until the first measurement (and during server rendering), and charts draw nothing
 * until then.
 */
export function useChartWidth<T extends HTMLElement = HTMLDivElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.floor(element.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return [ref, width];
}
