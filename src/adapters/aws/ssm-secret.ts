import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { MisconfiguredError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { SecretSource } from '../../ports/secret-source';
import { translateAwsError } from './aws-errors';

/**
 * A SecureString parameter in SSM Parameter Store, decrypted and cached for `ttlMs` per container: one
 * GetParameter per cold start (and per TTL), not per request, and a rotated secret is picked up within the TTL.
 * Concurrent callers share one in-flight read.
 */
export class SsmSecret implements SecretSource {
  private cached: { value: string; until: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly client: SSMClient,
    private readonly name: string,
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
    /** What the parameter holds, for the message when it is missing. */
    private readonly holds = 'the Slack signing secret',
  ) {}

  async get(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.value;
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<string> {
    let value: string | undefined;
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: this.name, WithDecryption: true }));
      value = out.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound) {
        throw new MisconfiguredError(`SSM parameter ${this.name} does not exist; store ${this.holds} there.`);
      }
      throw translateAwsError(error, { operation: 'GetParameter', resource: `SSM parameter ${this.name}` });
    }
    if (!value) throw new MisconfiguredError(`SSM parameter ${this.name} is empty.`);
    this.cached = { value, until: this.clock.now().getTime() + this.ttlMs };
    return value;
  }
}
