import { type Command, parseCommand } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/errors';

/**
 * The UsageError's message for `argv`, failing the test when the line parses or fails otherwise.
 *
 * @example
 * usageMessage(['bogus']) // "Unknown command 'bogus'."
 */
export function usageMessage(argv: string[], parse: (argv: string[]) => Command = parseCommand): string {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}
