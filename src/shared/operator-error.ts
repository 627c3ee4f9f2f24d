/**
 * A problem the operator must fix (a bad setting, an unreadable plan file, data another process owns):
 * the service and the CLIs print its message, one line saying what, where and how to fix it, and exit
 * non-zero, with no stack trace. Anything else that escapes is a bug and keeps its stack.
 */
export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}
