import {
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LambdaJobQueue } from '../../../src/adapters/aws/lambda-job-queue';
import { MisconfiguredError, ThrottledError, UpstreamError } from '../../../src/domain/errors';
import type { SlackJob } from '../../../src/ports/slack-worker';

// The exact InvokeCommand input, and answers serverless-offline and moto cannot be made to give.

const WORKER = 'waf-maintenance-test-slackWorker';

function aJob(overrides: Partial<SlackJob> = {}): SlackJob {
  return {
    command: { kind: 'on', retryAfterSeconds: 1800, reason: 'Database upgrade' },
    actor: 'slack:alice (U024BE7LH)',
    userId: 'U024BE7LH',
    responseUrl: 'https://hooks.slack.com/commands/T0001/1234/abcd',
    ...overrides,
  };
}

describe('LambdaJobQueue (aws-sdk-client-mock)', () => {
  const mock = mockClient(LambdaClient);
  const queue = new LambdaJobQueue(new LambdaClient({ region: 'us-east-1' }), WORKER);

  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('invokes the worker asynchronously with the job as JSON bytes', async () => {
    mock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const job = aJob();

    await queue.enqueue(job);

    const calls = mock.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toEqual({
      FunctionName: WORKER,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(job)),
    });
    expect(input?.Payload).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(input?.Payload as Uint8Array).toString('utf8'))).toEqual(job);
  });

  it.each([200, 204, undefined])('reports a StatusCode of %s as UpstreamError', async (status) => {
    mock.on(InvokeCommand).resolves({ StatusCode: status });

    const failure = queue.enqueue(aJob());

    await expect(failure).rejects.toBeInstanceOf(UpstreamError);
    await expect(failure).rejects.toThrow(`Lambda answered ${status}`);
  });

  it('reports a TooManyRequestsException as ThrottledError', async () => {
    mock.on(InvokeCommand).rejects(
      new TooManyRequestsException({
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 429 },
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      }),
    );

    await expect(queue.enqueue(aJob())).rejects.toBeInstanceOf(ThrottledError);
  });

  it('reports a missing worker as MisconfiguredError and a service fault as UpstreamError', async () => {
    mock
      .on(InvokeCommand)
      .rejectsOnce(
        new LambdaServiceException({
          name: 'ResourceNotFoundException',
          $fault: 'client',
          $metadata: { httpStatusCode: 404 },
          message: `Function not found: ${WORKER}`,
        }),
      )
      .rejectsOnce(
        new LambdaServiceException({
          name: 'ServiceException',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
          message: 'internal',
        }),
      );

    await expect(queue.enqueue(aJob())).rejects.toBeInstanceOf(MisconfiguredError);
    await expect(queue.enqueue(aJob())).rejects.toBeInstanceOf(UpstreamError);
  });
});
