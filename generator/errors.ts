/** Errors the CLI reports as one line (a user's mistake), as opposed to bugs, which print a stack. */

/** A mistake the user can fix: printed as one line, exit code 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** The process exit code the CLI uses. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
