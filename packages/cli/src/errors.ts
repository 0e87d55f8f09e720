/** An error the CLI reports as one line, without a stack: its message says what to do. */
export class CliError extends Error {
  override name = 'CliError';
}
