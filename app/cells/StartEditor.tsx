'use client';
/**
 * Editor of an experiment's prompt or start canvas: the PromptEditor wired to a config, with
 * the line that shows how the model's tokenizer turns the code and spans into a canvas.
 */
import { useMemo } from 'react';
import { PromptEditor } from '@/components/PromptEditor';
import { startOf } from '@/lib/canvas';
import type { ExperimentConfig } from '@/lib/config';
import {
  applyExample,
  currentExample,
  describeCanvas,
  editorText,
  editText,
  exampleNames,
  infillSpans,
  maskSelection,
  removeSpan,
  switchStart,
  type CanvasDescription,
} from '../state/start-edit';
import { useNotebookStore } from '../state/store';
import { useTokenText } from './hooks';

/** Returns the description of the config's start canvas, with the chosen model's tokenizer once it has loaded. */
export function useCanvasDescription(config: ExperimentConfig): CanvasDescription {
  // Requests the tokenizer of the chosen model, which the token counts need.
  useTokenText(config.modelId);
  const tokenizer = useNotebookStore((s) => s.tokenizers[config.modelId]);
  const manifest = useNotebookStore((s) => s.models.find((m) => m.manifest.id === config.modelId)?.manifest);
  return useMemo(() => describeCanvas(config, tokenizer, manifest), [config, tokenizer, manifest]);
}

export function StartEditor(props: {
  inputId: string;
  config: ExperimentConfig;
  canvas: CanvasDescription;
  disabled: boolean;
  onChange(patch: Partial<ExperimentConfig>): void;
}) {
  const { inputId, config, disabled, onChange } = props;
  const kind = startOf(config).kind;
  const { summary, problem } = props.canvas;

  return (
    <PromptEditor
      inputId={inputId}
      mode={kind}
      text={editorText(config)}
      spans={infillSpans(config)}
      examples={exampleNames(kind)}
      selectedExample={currentExample(config)}
      disabled={disabled}
      summary={summary}
      problem={problem}
      onModeChange={(mode) => onChange(switchStart(config, mode))}
      onChange={(text) => onChange(editText(config, text))}
      onExample={(name) => onChange(applyExample(config, name))}
      onMaskSelection={(span) => onChange(maskSelection(config, span))}
      onRemoveSpan={(index) => onChange(removeSpan(config, index))}
    />
  );
}
