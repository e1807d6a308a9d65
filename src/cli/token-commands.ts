import type { Clock } from '../ports/clock';
import type { TokenRegistry } from '../ports/token-registry';
import { mintToken } from '../use-cases/mint-token';
import type { Command } from './args';
import { CliError } from './errors';
import { publicToken, tokenTable } from './format';
import { type Io, writeJson, writeLine } from './io';
import type { StackTarget } from './stack-target';

export interface TokenDeps {
  tokens: TokenRegistry;
  clock: Clock;
  target: StackTarget;
}

/**
 * `maintenance token create`: stdout carries the token and nothing else (so `$(maintenance token create ...)`
 * captures exactly it); every word for humans goes to stderr.
 */
export async function createTokenCommand(
  deps: TokenDeps,
  command: Extract<Command, { kind: 'token-create' }>,
  io: Io,
): Promise<void> {
  const minted = await mintToken(deps, { name: command.name, role: command.role });
  if (command.json) writeJson(io.stdout, minted);
  else writeLine(io.stdout, minted.token);
  writeLine(
    io.stderr,
    `Created ${minted.role} token ${minted.name} in ${deps.target.tableName}; it is shown once, so store it now.`,
  );
}

/** `maintenance token list`: names, roles and creation times; never hashes. */
export async function listTokensCommand(deps: TokenDeps, command: { json: boolean }, io: Io): Promise<void> {
  const records = await deps.tokens.list();
  if (command.json) writeJson(io.stdout, { tokens: records.map(publicToken) });
  else if (records.length === 0) writeLine(io.stdout, `No tokens in ${deps.target.tableName}.`);
  else writeLine(io.stdout, tokenTable(records));
}

/** `maintenance token revoke`: fails when no token has that name, so a typo is not mistaken for success. */
export async function revokeTokenCommand(
  deps: TokenDeps,
  command: Extract<Command, { kind: 'token-revoke' }>,
  io: Io,
): Promise<void> {
  const revoked = await deps.tokens.revoke(command.name);
  if (!revoked) throw new CliError(`No token named ${command.name} in ${deps.target.tableName}.`);
  if (command.json) writeJson(io.stdout, { name: command.name, revoked: true });
  else writeLine(io.stdout, `Revoked token ${command.name}.`);
}
