import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbTokenRegistry } from '../../src/adapters/aws/dynamodb-token-registry';
import type { Role } from '../../src/domain/roles';
import { systemClock } from '../../src/ports/clock';
import { mintToken } from '../../src/use-cases/mint-token';

export const LOCAL_TOKEN_NAMES: Record<Role, string> = {
  admin: 'local-admin',
  operator: 'local-operator',
};

/**
 * Mints a fresh admin and operator token for the local stack. The previous ones (same names) are revoked
 * first: tokens are only ever shown once, so each start hands out new ones.
 *
 * @example
 * const { admin, operator } = await mintLocalTokens('waf-maintenance-dev');
 */
export async function mintLocalTokens(
  tableName: string,
  client = new DynamoDBClient({ region: 'us-east-1' }),
): Promise<Record<Role, string>> {
  const tokens = new DynamoDbTokenRegistry(client, tableName);
  const minted = {} as Record<Role, string>;
  for (const [role, name] of Object.entries(LOCAL_TOKEN_NAMES) as Array<[Role, string]>) {
    await tokens.revoke(name);
    minted[role] = (await mintToken({ tokens, clock: systemClock }, { name, role })).token;
  }
  return minted;
}
