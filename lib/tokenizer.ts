/**
 * Tokenizer for shipped models: `@huggingface/tokenizers` over the model's tokenizer.json.
 *
 * User text must never turn into a special token: the library maps a literal "[MASK]" or
 * "[EOS]" in the input to the special id, with no switch to turn that off, so encoding
 * uses a copy of tokenizer.json without added tokens. Those strings then encode as plain
 * text, exactly as the Python tokenizer that trained the model encodes them.
 */
import { Tokenizer } from '@huggingface/tokenizers';

export interface CodeTokenizer {
  encode(text: string): number[];
  /** Decodes ids to text; special tokens (mask, eos) are dropped. */
  decode(ids: number[]): string;
  /** Returns the text of one token id, special tokens included (for display). */
  tokenText(id: number): string;
  readonly vocabSize: number;
}

const TOKENIZER_CONFIG = { clean_up_tokenization_spaces: false };

/** Builds a tokenizer from the parsed tokenizer.json document. */
export function createTokenizer(tokenizerJson: Record<string, unknown>): CodeTokenizer {
  const full = new Tokenizer(tokenizerJson, TOKENIZER_CONFIG);
  const plain = new Tokenizer({ ...tokenizerJson, added_tokens: [] }, TOKENIZER_CONFIG);
  const specials = new Map<number, string>();
  for (const t of (tokenizerJson.added_tokens as { id: number; content: string }[]) ?? []) specials.set(t.id, t.content);
  const tokenCache = new Map<number, string>();
  const vocabSize = Object.keys((tokenizerJson.model as { vocab: Record<string, number> }).vocab).length;

  return {
    vocabSize,
    encode: (text) => (text.length === 0 ? [] : plain.encode(text, { add_special_tokens: false }).ids),
    decode(ids) {
      const kept = ids.filter((id) => !specials.has(id));
      return kept.length === 0 ? '' : full.decode(kept, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    },
    tokenText(id) {
      const special = specials.get(id);
      if (special !== undefined) return special;
      let text = tokenCache.get(id);
      if (text === undefined) {
        text = full.decode([id], { clean_up_tokenization_spaces: false });
        tokenCache.set(id, text);
      }
      return text;
    },
  };
}
