import { Notebook } from './notebook';

export default function HomePage() {
  return <Notebook />;
}
