import { randomBytes } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SsmSecret } from '../../../src/adapters/aws/ssm-secret';
import { MisconfiguredError } from '../../../src/domain/errors';
import { FakeClock } from '../../support/fakes';

const ssm = new SSMClient({ region: 'us-east-1' });
const TTL_MS = 60_000;

afterAll(() => ssm.destroy());

/** A unique parameter name per test: moto is shared by every file of the run. */
function uniqueName(): string {
  return `/waf-maintenance/t${randomBytes(4).toString('hex')}/slack-signing-secret`;
}

async function putSecret(name: string, value: string): Promise<void> {
  await ssm.send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }),
  );
}

/** A client of its own whose GetParameter calls are counted as they leave for moto. */
function countingClient(): { client: SSMClient; reads: () => number } {
  const client = new SSMClient({ region: 'us-east-1' });
  let reads = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetParameterCommand') reads++;
      return next(args);
    },
    { step: 'initialize', name: 'countGetParameter' },
  );
  return { client, reads: () => reads };
}

describe('SsmSecret against moto', () => {
  let name: string;
  let clock: FakeClock;
  let counted: ReturnType<typeof countingClient>;
  let secret: SsmSecret;

  beforeEach(() => {
    name = uniqueName();
    clock = new FakeClock();
    counted = countingClient();
    secret = new SsmSecret(counted.client, name, clock, TTL_MS);
  });

  afterEach(() => counted.client.destroy());

  it('reads the SecureString decrypted', async () => {
    await putSecret(name, '8f742231b10e8888abcd99yyyzzz85a5');

    expect(await secret.get()).toBe('8f742231b10e8888abcd99yyyzzz85a5');
    // Without decryption the stored value is not the secret, so the adapter must have asked for it.
    const raw = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    expect(raw.Parameter?.Value).not.toBe('8f742231b10e8888abcd99yyyzzz85a5');
  });

  it('serves a second get within the TTL from its cache, and reads again once the TTL has passed', async () => {
    await putSecret(name, 'first-secret');
    expect(await secret.get()).toBe('first-secret');

    await putSecret(name, 'rotated-secret');
    clock.advance(TTL_MS - 1);

    expect(await secret.get()).toBe('first-secret');
    expect(counted.reads()).toBe(1);

    clock.advance(1);

    expect(await secret.get()).toBe('rotated-secret');
    expect(counted.reads()).toBe(2);
  });

  it('shares one GetParameter between concurrent gets', async () => {
    await putSecret(name, 'shared-secret');

    const values = await Promise.all([secret.get(), secret.get(), secret.get()]);

    expect(values).toEqual(['shared-secret', 'shared-secret', 'shared-secret']);
    expect(counted.reads()).toBe(1);
  });

  it('reports a missing parameter as MisconfiguredError naming it, and caches no failure', async () => {
    const failure = secret.get();

    await expect(failure).rejects.toBeInstanceOf(MisconfiguredError);
    await expect(failure).rejects.toThrow(name);

    await putSecret(name, 'created-later');
    expect(await secret.get()).toBe('created-later');
    expect(counted.reads()).toBe(2);
  });
});
