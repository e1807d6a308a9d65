import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { UpstreamError } from '../../domain/errors';
import type { SlackJob, SlackJobQueue } from '../../ports/slack-worker';
import { translateAwsError } from './aws-errors';

/**
 * Hands a Slack job to the worker Lambda with an asynchronous invocation (`InvocationType: 'Event'`):
 * Lambda queues it and answers 202 at once, so the acknowledgement never waits for WAF.
 * Async payloads are limited to 1 MB (256 KB historically); a job is a few hundred bytes.
 */
export class LambdaJobQueue implements SlackJobQueue {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async enqueue(job: SlackJob): Promise<void> {
    let status: number | undefined;
    try {
      const out = await this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(job)),
        }),
      );
      status = out.StatusCode;
    } catch (error) {
      throw translateAwsError(error, { operation: 'Invoke', resource: `worker ${this.functionName}` });
    }
    if (status !== 202)
      throw new UpstreamError(`Lambda answered ${status} to the async invocation of ${this.functionName}`);
  }
}
