'use client';
import { MarkdownCell } from '@/components/notebook/MarkdownCell';
import type { MarkdownCell as MarkdownCellData } from '@/lib/notebook';
import { useNotebookStore } from '../state/store';

export function MarkdownCellContainer({ cell }: { cell: MarkdownCellData }) {
  const editing = useNotebookStore((s) => s.markdownEditing[cell.id] ?? false);
  const setEditing = useNotebookStore((s) => s.setMarkdownEditing);
  const setMarkdown = useNotebookStore((s) => s.setMarkdown);
  return <MarkdownCell source={cell.source} editing={editing} onEditingChange={(e) => setEditing(cell.id, e)} onChange={(source) => setMarkdown(cell.id, source)} />;
}
