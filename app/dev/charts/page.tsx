import type { Metadata } from 'next';
import { ChartGallery } from './ChartGallery';

export const metadata: Metadata = {
  title: 'Chart gallery · Unmask',
  description: 'Developer page that draws every trajectory chart from trajectory JSON files',
};

export default function ChartGalleryPage() {
  return <ChartGallery />;
}
