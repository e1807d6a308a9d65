import type { Role } from '../domain/roles';
import { commandParser } from './command-parser';
import { COMMANDS } from './command-table';
import { renderUsage } from './usage';

/** What the user asked for, fully checked; `json` selects machine output. */
export type Command =
  | { kind: 'help' }
  | { kind: 'status'; json: boolean }
  | { kind: 'doctor'; json: boolean }
  | {
      kind: 'set';
      json: boolean;
      enabled: boolean;
      reason?: string;
      retryAfterSeconds?: number;
      /** `on --until` (a moment, as typed) or `on --for` (seconds from when the request is sent). */
      ends?: { at: string } | { inSeconds: number };
    }
  | {
      kind: 'schedule';
      json: boolean;
      startsAt: string;
      endsAt: string;
      reason?: string;
      retryAfterSeconds?: number;
    }
  | { kind: 'windows'; json: boolean }
  | { kind: 'cancel'; json: boolean; id: string }
  | { kind: 'bypass-list'; json: boolean }
  | { kind: 'bypass-change'; json: boolean; operation: 'add' | 'remove'; cidrs: string[] }
  | { kind: 'exempt-list'; json: boolean }
  | { kind: 'exempt-change'; json: boolean; operation: 'add' | 'remove'; paths: string[] }
  | { kind: 'history'; json: boolean; limit?: number; cursor?: string }
  | { kind: 'token-create'; json: boolean; name: string; role: Role; stage?: string }
  | { kind: 'token-list'; json: boolean; stage?: string }
  | { kind: 'token-revoke'; json: boolean; name: string; stage?: string }
  | { kind: 'slack-grant'; json: boolean; userId: string; role: Role; stage?: string }
  | { kind: 'slack-revoke'; json: boolean; userId: string; stage?: string }
  | { kind: 'slack-list'; json: boolean; stage?: string }
  | { kind: 'attach'; json: boolean; webAclArn: string; renumber: boolean; stage?: string }
  | { kind: 'detach'; json: boolean; webAclArn: string; stage?: string };

/**
 * The help text, generated from the command table: `--help` prints it on stdout; usage errors only point
 * at it. (test/integration/cli-bin.test.ts edits the header below in a copy of the repository.)
 *
 * @example
 * USAGE.includes('\n  bypass add CIDR...   ') // true: one line per command of the table
 */
export const USAGE = renderUsage('Usage: maintenance <command> [options]', COMMANDS);

const parse = commandParser(COMMANDS);

/**
 * Parses the arguments after `maintenance` into a Command, by the command table. Throws UsageError for
 * anything malformed.
 *
 * @example
 * parseCommand(['on', '--reason', 'Deploy', '--retry-after', '600'])
 * // { kind: 'set', enabled: true, reason: 'Deploy', retryAfterSeconds: 600, json: false }
 */
export function parseCommand(argv: string[]): Command {
  return parse(argv);
}
