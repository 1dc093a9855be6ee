import type { ErrorCode } from './protocol.ts';

/** A failure in src/ml the page can act on: `code` says what kind (protocol.ts ErrorCode), `message` is for the reader. */
export class MlError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'MlError';
    this.code = code;
  }
}
