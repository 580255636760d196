/**
 * Key/value cache for block-wise decoding with batch size 1.
 *
 * Each layer keeps keys and values as float32 [1, heads, length, headDim], the layout the
 * ONNX graph takes as `past_key_<l>` / `past_value_<l>`. Only finished blocks are
 * appended, with keys and values computed from their final tokens, so the cache is exact.
 */

export class KVCache {
  length = 0;
  keys: Float32Array[];
  values: Float32Array[];

  constructor(
    readonly layers: number,
    readonly heads: number,
    readonly headDim: number,
  ) {
    this.keys = Array.from({ length: layers }, () => new Float32Array(0));
    this.values = Array.from({ length: layers }, () => new Float32Array(0));
  }

  /** Appends q positions; keys[l] and values[l] are [1, heads, q, headDim]. */
  append(keys: Float32Array[], values: Float32Array[], q: number): void {
    for (let l = 0; l < this.layers; l++) {
      this.keys[l] = this.concat(this.keys[l], keys[l], q);
      this.values[l] = this.concat(this.values[l], values[l], q);
    }
    this.length += q;
  }

  private concat(past: Float32Array, added: Float32Array, q: number): Float32Array {
    const { heads, headDim, length } = this;
    if (added.length !== heads * q * headDim) {
      throw new Error(`[kvcache] expected ${heads * q * headDim} values for ${q} positions, got ${added.length}`);
    }
    const out = new Float32Array(heads * (length + q) * headDim);
    for (let h = 0; h < heads; h++) {
      out.set(past.subarray(h * length * headDim, (h + 1) * length * headDim), h * (length + q) * headDim);
      out.set(added.subarray(h * q * headDim, (h + 1) * q * headDim), (h * (length + q) + length) * headDim);
    }
    return out;
  }
}
