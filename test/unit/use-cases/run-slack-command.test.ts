import { UpstreamError } from '../../../src/domain/errors';
import type { SlackCommand } from '../../../src/domain/slack-command';
import { runSlackCommand } from '../../../src/use-cases/run-slack-command';
import { slackRunDeps } from '../../support/fakes';
import { blockKitTexts } from '../../support/slack';

const makeDeps = () => slackRunDeps();

const job = (command: SlackCommand) => ({
  command,
  actor: 'slack:alice (U2147483697)',
  userId: 'U2147483697',
  responseUrl: 'https://hooks.slack.com/commands/1/2',
});

const texts = (deps: ReturnType<typeof makeDeps>) =>
  deps.responder.posts.map((p) => JSON.stringify(p.message));

describe('runSlackCommand', () => {
  it('turns maintenance on and announces who, what and why in the channel', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'on', retryAfterSeconds: 1800, reason: 'Database <upgrade>' }));

    expect(deps.ruleGroup.state).toMatchObject({ enabled: true, retryAfterSeconds: 1800 });
    const [record] = [...deps.changes.records.values()];
    expect(record).toMatchObject({ changedBy: 'slack:alice (U2147483697)', reason: 'Database <upgrade>' });
    // Then the caller's bypass link, for them alone (run-slack-command-bypass-link.test.ts).
    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['in_channel', 'ephemeral']);
    const [post] = deps.responder.posts;
    expect(post?.url).toBe('https://hooks.slack.com/commands/1/2');
    expect(post?.message.response_type).toBe('in_channel');
    expect(post?.message.text).toContain('<@U2147483697>');
    const shown = JSON.stringify(post?.message.blocks);
    expect(shown).toContain('Database &lt;upgrade&gt;');
    expect(shown).toContain('Retry-After 30 min');
  });

  it('tells only the caller when nothing changed', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'off' }));
    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['ephemeral']);
    expect(texts(deps)[0]).toContain('Nothing to change');
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('reports the status to the caller only', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'status' }));
    expect(deps.responder.posts[0]?.message).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('OFF'),
    });
  });

  it('adds bypass addresses in canonical form and announces them', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'allow', addresses: ['198.51.100.77/24'] }));
    expect(deps.bypass.sets[4].addresses).toEqual(['198.51.100.0/24']);
    expect(deps.responder.posts[0]?.message.response_type).toBe('in_channel');
    expect(texts(deps)[0]).toContain('198.51.100.0/24');
  });

  it('lists the bypass set', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(6, ['2001:db8::/32']);
    await runSlackCommand(deps, job({ kind: 'bypass' }));
    expect(texts(deps)[0]).toContain('2001:db8::/32');
  });

  it('reports a refused change to the caller instead of throwing', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = Number.POSITIVE_INFINITY;
    await expect(runSlackCommand(deps, job({ kind: 'on' }))).resolves.toBeUndefined();
    expect(deps.responder.posts[0]?.message.response_type).toBe('ephemeral');
    expect(texts(deps)[0]).toContain('Nothing was changed');
  });

  it('says exactly what was applied when a bypass change is only partly in place', async () => {
    const deps = makeDeps();
    const put = deps.bypass.put.bind(deps.bypass);
    let v4Writes = 0;
    deps.bypass.put = async (snapshot, addresses) => {
      if (snapshot.version === 6 || (snapshot.version === 4 && ++v4Writes > 1))
        throw new UpstreamError('AWS down');
      return put(snapshot, addresses);
    };
    await runSlackCommand(deps, job({ kind: 'allow', addresses: ['198.51.100.1', '2001:db8::1'] }));
    const shown = texts(deps)[0] ?? '';
    expect(shown).toContain('Only part of the change was applied (IPv4)');
    expect(shown).toContain('added 198.51.100.1/32');
    expect(shown).not.toContain('Nothing was changed');
  });

  it('does not throw when Slack cannot be reached, so Lambda does not repeat the change', async () => {
    const deps = makeDeps();
    deps.responder.post = async () => {
      throw new Error('hooks.slack.com unreachable');
    };
    await expect(runSlackCommand(deps, job({ kind: 'on' }))).resolves.toBeUndefined();
    expect(deps.ruleGroup.writes).toHaveLength(1);
    // Both replies (the announcement and the caller's link) failed, each logged once.
    expect(deps.logger.events()).toEqual(['slack-reply-failed', 'slack-reply-failed']);
    expect(deps.logger.lines[0]?.fields.error).toEqual(new Error('hooks.slack.com unreachable'));
  });

  describe('with 200 addresses', () => {
    // 198.18.0.0/15 is set aside for benchmarks (RFC 2544).
    const addresses = Array.from({ length: 200 }, (_, i) => `198.18.0.${i}`);
    const canonical = addresses.map((address) => `${address}/32`);

    it('announces `allow` of 200 addresses in a message Slack accepts, naming 20 and counting the rest', async () => {
      const deps = makeDeps();
      await runSlackCommand(deps, job({ kind: 'allow', addresses }));

      expect(deps.bypass.sets[4].addresses).toHaveLength(200);
      expect(deps.responder.posts).toHaveLength(1);
      const [post] = deps.responder.posts;
      expect(post?.message.response_type).toBe('in_channel');
      const text = blockKitTexts(post?.message ?? { text: '' }).join('\n');
      expect(text).toContain('added 200 addresses: `198.18.0.0/32`, `198.18.0.1/32`');
      expect(text).toContain('`198.18.0.19/32` and 180 more');
    });

    it('tells the caller 200 addresses were already there, within the limits', async () => {
      const deps = makeDeps();
      deps.bypass.externalWrite(4, canonical);
      await runSlackCommand(deps, job({ kind: 'allow', addresses }));

      expect(deps.bypass.writes).toEqual([]);
      const messages = deps.responder.posts.map((p) => p.message);
      expect(messages.map((m) => m.response_type)).toEqual(['ephemeral']);
      const text = blockKitTexts(messages[0] ?? { text: '' }).join('\n');
      expect(text).toContain('Already as asked (200 addresses): `198.18.0.0/32`');
      expect(text).toContain('and 180 more. The bypass set holds 200 addresses.');
    });

    it('lists a bypass set of 200 within the limits, pointing to the CLI for the rest', async () => {
      const deps = makeDeps();
      deps.bypass.externalWrite(4, canonical);
      await runSlackCommand(deps, job({ kind: 'bypass' }));

      const text = blockKitTexts(deps.responder.posts[0]?.message ?? { text: '' }).join('\n');
      expect(text).toContain('200 addresses bypass maintenance:');
      expect(text).toContain('…and 150 more (see `maintenance bypass list`).');
    });
  });
});
