import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isRole, type Role } from '../../domain/roles';
import type { SlackGrant, SlackGrants } from '../../ports/slack-grants';
import { translateAwsError } from './aws-errors';
import { scanKeyPrefix } from './dynamodb-scan';

const PREFIX = 'slackuser#';

/**
 * Slack grants live in the stage's table, one item per user: `slackuser#<USER_ID>` with `userId`, `role`
 * and `grantedAt`. An item whose role is not one we know grants nothing, so a hand-edited typo fails closed.
 *
 * @example
 * const grants = new DynamoDbSlackGrants(new DynamoDBClient({}), 'waf-maintenance-prod');
 * await grants.grant({ userId: 'U024BE7LH', role: 'admin', grantedAt: new Date().toISOString() });
 * await grants.roleOf('U024BE7LH'); // 'admin'
 */
export class DynamoDbSlackGrants implements SlackGrants {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async roleOf(userId: string): Promise<Role | null> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: key(userId), ConsistentRead: true }),
      );
      const role = out.Item?.role?.S;
      return isRole(role) ? role : null;
    } catch (error) {
      throw this.translate(error, 'GetItem');
    }
  }

  async grant(grant: SlackGrant): Promise<void> {
    try {
      // A plain put: granting again replaces the role, which is how a role is changed.
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...key(grant.userId),
            userId: { S: grant.userId },
            role: { S: grant.role },
            grantedAt: { S: grant.grantedAt },
          },
        }),
      );
    } catch (error) {
      throw this.translate(error, 'PutItem');
    }
  }

  async revoke(userId: string): Promise<boolean> {
    try {
      const out = await this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: key(userId), ReturnValues: 'ALL_OLD' }),
      );
      return out.Attributes !== undefined;
    } catch (error) {
      throw this.translate(error, 'DeleteItem');
    }
  }

  async list(): Promise<SlackGrant[]> {
    const items = await scanKeyPrefix(this.client, this.tableName, PREFIX);
    const grants = items.flatMap((item) => toGrant(item) ?? []);
    // Code-point order: IDs are upper-case ASCII, and the order must not depend on the locale.
    return grants.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  private translate(error: unknown, operation: string): Error {
    return translateAwsError(error, { operation, resource: `table ${this.tableName}` });
  }
}

function key(userId: string): Record<string, AttributeValue> {
  return { pk: { S: `${PREFIX}${userId}` } };
}

/** The key is the truth about whose grant it is; `userId` is a copy for people reading the table. */
function toGrant(item: Record<string, AttributeValue>): SlackGrant | null {
  const pk = item.pk?.S;
  const role = item.role?.S;
  if (!pk?.startsWith(PREFIX) || !isRole(role)) return null;
  return { userId: pk.slice(PREFIX.length), role, grantedAt: item.grantedAt?.S ?? '' };
}
