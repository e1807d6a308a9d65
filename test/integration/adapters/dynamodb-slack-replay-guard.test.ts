import { DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDbSlackReplayGuard,
  REPLAY_EXPIRY_ATTRIBUTE,
} from '../../../src/adapters/aws/dynamodb-slack-replay-guard';
import { MisconfiguredError } from '../../../src/domain/errors';
import { signatureSighting } from '../../../src/ports/slack-replay-guard';
import { provisionTestStack } from '../../support/stack';

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

afterAll(() => dynamodb.destroy());

const DIGEST = 'a'.repeat(64);
const sighting = (digest = DIGEST) => ({ digest, expiresAt: 1_795_428_360 });

describe('DynamoDbSlackReplayGuard against moto', () => {
  let tableName: string;
  let guard: DynamoDbSlackReplayGuard;

  beforeEach(async () => {
    ({ tableName } = await provisionTestStack('rg'));
    guard = new DynamoDbSlackReplayGuard(dynamodb, tableName);
  });

  const stored = async (digest = DIGEST) =>
    (
      await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: `slacksig#${digest}` } } }),
      )
    ).Item;

  it('records a first sighting under slacksig#<digest> with its expiry, and says it is new', async () => {
    expect(await guard.firstSighting(sighting())).toBe(true);

    expect(await stored()).toEqual({ pk: { S: `slacksig#${DIGEST}` }, expiresAt: { N: '1795428360' } });
  });

  it('says a second sighting of the same digest is a replay, and keeps the first record', async () => {
    await guard.firstSighting(sighting());

    expect(await guard.firstSighting({ digest: DIGEST, expiresAt: 1_900_000_000 })).toBe(false);
    expect((await stored())?.expiresAt).toEqual({ N: '1795428360' });
  });

  it('tells different signatures apart', async () => {
    await guard.firstSighting(sighting());

    expect(await guard.firstSighting(sighting('b'.repeat(64)))).toBe(true);
  });

  it('lets exactly one of ten identical requests arriving at once through', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => guard.firstSighting(sighting())));

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records a verified header as lower-case digits, so an upper-cased copy is the same request', async () => {
    const header = `v0=${'AbCd'.repeat(16)}`;
    expect(await guard.firstSighting(signatureSighting(header, '1795428000'))).toBe(true);

    expect(await guard.firstSighting(signatureSighting(header.toLowerCase(), '1795428000'))).toBe(false);
    expect(await stored('abcd'.repeat(16))).toBeDefined();
  });

  it('writes the attribute the provisioned table expires items by, so records delete themselves', async () => {
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: REPLAY_EXPIRY_ATTRIBUTE,
    });
  });

  it('reports a missing table as MisconfiguredError', async () => {
    const missing = new DynamoDbSlackReplayGuard(dynamodb, 'no-such-table');

    await expect(missing.firstSighting(sighting())).rejects.toBeInstanceOf(MisconfiguredError);
  });
});
