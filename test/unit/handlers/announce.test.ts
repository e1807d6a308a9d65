import '../../support/announce-env';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler } from '../../../handlers/announce';
import { MisconfiguredError, UpstreamError } from '../../../src/domain/errors';
import type { SecretSource } from '../../../src/ports/secret-source';
import type { PostResult, WebhookMessage, WebhookPoster } from '../../../src/ports/webhook-poster';
import { type AnnounceLog, POST_MARGIN_MS } from '../../../src/use-cases/announce-entries';
import { anEntry, entryRecord } from '../../support/stream-records';

const URL = 'https://hooks.slack.com/services/T0/B0/secret';

class FakeWebhookUrl implements SecretSource {
  reads = 0;
  constructor(private readonly value: () => string) {}
  async get() {
    this.reads++;
    return this.value();
  }
}

class RecordingPoster implements WebhookPoster {
  readonly maxDurationMs = 13_000;
  posts: Array<{ url: string; message: WebhookMessage }> = [];
  constructor(private readonly results: PostResult[] = []) {}
  async post(url: string, message: WebhookMessage): Promise<PostResult> {
    this.posts.push({ url, message });
    return this.results.shift() ?? { ok: true, attempts: 1 };
  }
}

class RecordingLog implements AnnounceLog {
  lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> = [];
  info(event: string, fields?: Record<string, unknown>) {
    this.lines.push({ level: 'info', event, fields });
  }
  error(event: string, fields?: Record<string, unknown>) {
    this.lines.push({ level: 'error', event, fields });
  }
}

const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const context = (leftMs = 30_000) => ({ getRemainingTimeInMillis: () => leftMs }) as unknown as Context;

function setUp(options: { url?: () => string; results?: PostResult[]; withLog?: boolean } = {}) {
  const webhookUrl = new FakeWebhookUrl(options.url ?? (() => URL));
  const poster = new RecordingPoster(options.results);
  const log = new RecordingLog();
  const handler = createHandler({ webhookUrl, poster, ...(options.withLog === false ? {} : { log }) });
  return { handler, webhookUrl, poster, log };
}

describe('announce handler', () => {
  it('posts each new entry once, in the stream order, and skips every other record', async () => {
    const { handler, poster, log } = setUp();
    const off = anEntry({ id: 'c2', action: 'maintenance.off', details: { reason: null } });
    const bypass = anEntry({
      id: 'c3',
      action: 'bypass.update',
      details: { added: ['192.0.2.1/32'], removed: [] },
    });

    await handler(
      streamEvent(
        entryRecord(anEntry()),
        entryRecord(anEntry({ id: 'c9' }), { record: { eventName: 'MODIFY' } }),
        entryRecord(anEntry({ id: 'g1' }), { image: { pk: { S: 'grant#U1' } } }),
        entryRecord(off),
        entryRecord(bypass),
      ),
      context(),
    );

    expect(poster.posts.map((post) => post.url)).toEqual([URL, URL, URL]);
    expect(poster.posts.map((post) => post.message.text)).toEqual([
      ':construction: Maintenance is ON, by deploy-bot: Database upgrade (Retry-After 30 min)',
      ':white_check_mark: Maintenance is OFF, by deploy-bot',
      ':key: deploy-bot changed the maintenance bypass set: added 1 address.',
    ]);
    expect(log.lines).toEqual([]);
  });

  it('reads no webhook URL for a batch without entries', async () => {
    const { handler, webhookUrl, poster } = setUp();

    await handler(streamEvent(entryRecord(anEntry(), { record: { eventName: 'REMOVE' } })), context());

    expect(webhookUrl.reads).toBe(0);
    expect(poster.posts).toEqual([]);
  });

  it('posts nothing and says so once at info while no webhook parameter exists', async () => {
    const { handler, poster, log } = setUp({
      url: () => {
        throw new MisconfiguredError('SSM parameter /waf-maintenance/unit/slack-webhook-url does not exist');
      },
    });

    await expect(handler(streamEvent(entryRecord(anEntry())), context())).resolves.toBeUndefined();
    await handler(streamEvent(entryRecord(anEntry({ id: 'c2' }))), context());

    expect(poster.posts).toEqual([]);
    expect(log.lines).toEqual([
      { level: 'info', event: 'announcements-not-configured', fields: { skipped: 1 } },
    ]);
  });

  it('logs a failed post with its entry and attempts, and goes on with the next entry', async () => {
    const { handler, poster, log } = setUp({
      results: [{ ok: false, attempts: 3, error: 'Slack answered 500: internal_error' }],
    });

    await expect(
      handler(streamEvent(entryRecord(anEntry()), entryRecord(anEntry({ id: 'c2' }))), context()),
    ).resolves.toBeUndefined();

    expect(poster.posts).toHaveLength(2);
    expect(log.lines).toEqual([
      {
        level: 'error',
        event: 'announcement-failed',
        fields: { entryId: 'c1', attempts: 3, error: 'Slack answered 500: internal_error' },
      },
    ]);
  });

  it('logs every entry as not announced when the URL cannot be read, and returns normally', async () => {
    const { handler, poster, log } = setUp({
      url: () => {
        throw new UpstreamError('SSM GetParameter failed');
      },
    });

    await handler(streamEvent(entryRecord(anEntry()), entryRecord(anEntry({ id: 'c2' }))), context());

    expect(poster.posts).toEqual([]);
    expect(log.lines.map((line) => [line.event, line.fields?.entryId, line.fields?.attempts])).toEqual([
      ['announcement-failed', 'c1', 0],
      ['announcement-failed', 'c2', 0],
    ]);
  });

  it('starts no post that could outlast the invocation, and logs the entries it left', async () => {
    const { handler, poster, log } = setUp();

    await handler(streamEvent(entryRecord(anEntry())), context(13_000 + POST_MARGIN_MS - 1));

    expect(poster.posts).toEqual([]);
    expect(log.lines[0]).toMatchObject({
      event: 'announcement-failed',
      fields: { entryId: 'c1', attempts: 0 },
    });
  });

  it('posts when its longest run and the margin still fit', async () => {
    const { handler, poster } = setUp();

    await handler(streamEvent(entryRecord(anEntry())), context(13_000 + POST_MARGIN_MS));

    expect(poster.posts).toHaveLength(1);
  });

  it('writes a failed post as one JSON error line on the console by default', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    const { handler } = setUp({
      results: [{ ok: false, attempts: 1, error: 'Slack answered 404: no_service' }],
      withLog: false,
    });

    await handler(streamEvent(entryRecord(anEntry())), context());

    expect(spy).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(spy.mock.calls[0]?.[0]))).toEqual({
      level: 'error',
      event: 'announcement-failed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      entryId: 'c1',
      attempts: 1,
      error: 'Slack answered 404: no_service',
    });
    spy.mockRestore();
  });
});
