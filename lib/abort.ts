/** Thrown by the samplers when their AbortSignal fires between steps. */
export class SampleAbortedError extends Error {
  constructor() {
    super('Sampling was stopped before it finished');
    this.name = 'SampleAbortedError';
  }
}
