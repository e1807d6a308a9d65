import type { SlackCommand } from '../../../src/domain/slack-command';
import { runSlackCommand } from '../../../src/use-cases/run-slack-command';
import { slackRunDeps } from '../../support/fakes';
import { blockKitTexts } from '../../support/slack';

const SECRET = 'q1n6V0m2Xr4_k9-Pz8Lw3Ty7Ub5Hs0Jd2Fg6Ae1Cx9';
const RESPONSE_URL = 'https://hooks.slack.com/commands/1/2';

function makeDeps(siteUrl: string | null = 'https://www.example.com') {
  return slackRunDeps({ newSecret: () => SECRET, siteUrl });
}

const job = (command: SlackCommand) => ({
  command,
  actor: 'slack:alice (U2147483697)',
  userId: 'U2147483697',
  responseUrl: RESPONSE_URL,
});

describe('runSlackCommand and the bypass link', () => {
  it('announces `on` in the channel without the link, then gives the caller alone the full link', async () => {
    const deps = makeDeps();

    await runSlackCommand(deps, job({ kind: 'on', reason: 'Database upgrade' }));

    const [announcement, note] = deps.responder.posts;
    expect(deps.responder.posts).toHaveLength(2);
    expect(announcement?.message.response_type).toBe('in_channel');
    expect(JSON.stringify(announcement?.message)).not.toContain(SECRET);
    expect(note?.url).toBe(RESPONSE_URL);
    expect(note?.message.response_type).toBe('ephemeral');
    const [section, context] = blockKitTexts(note?.message ?? { text: '' });
    expect(section).toContain('Slack cannot see which address you browse from');
    expect(section).toMatch(new RegExp(`\\n<https://www\\.example\\.com/__maintenance/bypass/${SECRET}>$`));
    expect(context).toContain('`maintenance bypass add YOUR_IP`');
  });

  it('gives the path when the worker does not know the site', async () => {
    const deps = makeDeps(null);

    await runSlackCommand(deps, job({ kind: 'on' }));

    const texts = blockKitTexts(deps.responder.posts[1]?.message ?? { text: '' });
    expect(texts[0]).toMatch(new RegExp(`\\n\`/__maintenance/bypass/${SECRET}\`$`));
  });

  it('gives the link again to whoever asks for `on` while it is already on', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'on' }));
    deps.responder.posts.length = 0;

    await runSlackCommand(deps, job({ kind: 'on' }));

    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['ephemeral', 'ephemeral']);
    expect(JSON.stringify(deps.responder.posts[0]?.message)).toContain('Nothing to change');
    expect(JSON.stringify(deps.responder.posts[1]?.message)).toContain(SECRET);
  });

  it('sends no link when maintenance turns off, and the old one is gone from the status', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'on' }));
    deps.responder.posts.length = 0;

    await runSlackCommand(deps, job({ kind: 'off' }));
    await runSlackCommand(deps, job({ kind: 'status' }));

    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['in_channel', 'ephemeral']);
    expect(JSON.stringify(deps.responder.posts)).not.toContain(SECRET);
  });

  it('shows the link in the status while on, to the caller only', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'on' }));
    deps.responder.posts.length = 0;

    await runSlackCommand(deps, job({ kind: 'status' }));

    const [post] = deps.responder.posts;
    expect(post?.message.response_type).toBe('ephemeral');
    expect(blockKitTexts(post?.message ?? { text: '' })).toContain(
      `:key: Bypass link (only you can see this message): <https://www.example.com/__maintenance/bypass/${SECRET}>`,
    );
  });
});
