import { escapeMrkdwn } from '../../../src/domain/slack-blocks';
import { SLACK_USAGE } from '../../../src/domain/slack-command';
import {
  alreadyMessage,
  bypassAnnouncement,
  bypassListMessage,
  bypassUnchangedMessage,
  changeAnnouncement,
  problemMessage,
  type SlackMessage,
  statusMessage,
  usageMessage,
  workingMessage,
} from '../../../src/domain/slack-messages';
import { blockKitTexts } from '../../support/slack';

const on = {
  enabled: true,
  action: 'BLOCK' as const,
  reason: '<!channel> & friends',
  retryAfterSeconds: 5400,
  changedAt: '2026-11-23T10:00:00.000Z',
  changedBy: 'slack:alice (U1)',
  bypassLink: '/__maintenance/bypass/slack-secret-slack-secret-slack-secret-sla',
  siteUrl: 'https://www.example.com',
  endsAt: null,
};

describe('slack messages', () => {
  it('escapes the three characters Slack treats as markup', () => {
    expect(escapeMrkdwn('<@U1> & <!here>')).toBe('&lt;@U1&gt; &amp; &lt;!here&gt;');
  });

  it('never lets a reason mention the channel', () => {
    const shown = JSON.stringify(changeAnnouncement(on, 'U1').blocks);
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;!channel&gt; &amp; friends');
  });

  it('announces a change in the channel, naming the user and the Retry-After', () => {
    const message = changeAnnouncement(on, 'U1');
    expect(message.response_type).toBe('in_channel');
    expect(message.text).toBe(':construction: *Maintenance is ON*, turned on by <@U1>.');
    expect(JSON.stringify(message.blocks)).toContain('Retry-After 90 min');
  });

  it('shows the status to the caller only, with a Slack date', () => {
    const message = statusMessage(on);
    expect(message.response_type).toBe('ephemeral');
    expect(JSON.stringify(message.blocks)).toContain('<!date^1795428000^');
  });

  it('lists at most 50 addresses and says how many more there are', () => {
    const addresses = Array.from({ length: 60 }, (_, i) => ({ cidr: `192.0.2.${i}/32` }));
    const shown = JSON.stringify(bypassListMessage({ addresses, count: 60, limit: 10_000 }).blocks);
    expect(shown).toContain('192.0.2.49/32');
    expect(shown).not.toContain('192.0.2.50/32');
    expect(shown).toContain('10 more');
  });

  it('escapes the problem it repeats back, in the blocks and in the fallback text', () => {
    const message = usageMessage('usage', 'unknown <!everyone>');
    expect(JSON.stringify(message.blocks)).not.toContain('<!everyone>');
    expect(message.text).not.toContain('<!everyone>');
    expect(problemMessage('bad <!here>').text).not.toContain('<!here>');
  });
});

// 198.18.0.0/15 is set aside for benchmarks (RFC 2544): 200 addresses nobody owns.
const TWO_HUNDRED = Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 256)}.${i % 256}/32`);
const shown = (message: SlackMessage) => blockKitTexts(message).join('\n');

describe('slack messages with 200 addresses', () => {
  it('announces 200 added addresses in one section, naming the first 20 and counting the rest', () => {
    const text = shown(bypassAnnouncement({ added: TWO_HUNDRED, removed: [] }, 'U1'));
    expect(text).toContain('added 200 addresses: `198.18.0.0/32`, `198.18.0.1/32`');
    expect(text).toContain('`198.18.0.19/32` and 180 more');
    expect(text).not.toContain('198.18.0.20/32');
  });

  it('announces 200 added and 200 removed addresses within the limits', () => {
    const removed = TWO_HUNDRED.map((cidr) => cidr.replace('198.18.', '198.19.'));
    const text = shown(bypassAnnouncement({ added: TWO_HUNDRED, removed }, 'U1'));
    expect(text).toContain('• added 200 addresses:');
    expect(text).toContain('• removed 200 addresses: `198.19.0.0/32`');
    expect(text.match(/and 180 more/g)).toHaveLength(2);
  });

  it('tells the caller 200 addresses were already as asked, in a short fallback and a summarised section', () => {
    const message = bypassUnchangedMessage(TWO_HUNDRED, 200);
    expect(message.text).toBe('Already as asked (200 addresses). The bypass set holds 200 addresses.');
    expect(shown(message)).toContain('`198.18.0.19/32` and 180 more. The bypass set holds 200 addresses.');
  });

  it('lists the first 50 of 200 bypass addresses and points to the CLI for the rest', () => {
    const listing = { addresses: TWO_HUNDRED.map((cidr) => ({ cidr })), count: 200, limit: 10_000 };
    const text = shown(bypassListMessage(listing));
    expect(text).toContain('198.18.0.49/32');
    expect(text).not.toContain('198.18.0.50/32');
    expect(text).toContain('…and 150 more (see `maintenance bypass list`).');
  });

  it('lists the first 20 of 200 problems and counts the rest', () => {
    const details = TWO_HUNDRED.map((cidr) => `${cidr}x: must be an IPv4 or IPv6 address or CIDR`);
    const text = shown(problemMessage('Nothing was changed; these addresses are not valid:', details));
    expect(text).toContain('• 198.18.0.19/32x: must be');
    expect(text).not.toContain('198.18.0.20/32x');
    expect(text).toMatch(/\n• … and 180 more$/);
  });
});

describe('slack messages with extreme inputs', () => {
  // Escaping makes each `&` five characters and each `<` four: 500 of them are 2,500 and 2,000.
  const ampersands = '&'.repeat(500);
  const angles = '<'.repeat(500);
  const longest = { ...on, reason: ampersands, changedBy: `slack:${'&'.repeat(80)} (U${'9'.repeat(20)})` };
  const ipv6 = Array.from(
    { length: 10_000 },
    (_, i) => `ffff:ffff:ffff:ffff:ffff:ffff:ffff:${i.toString(16)}/128`,
  );
  const details = Array.from({ length: 200 }, () => `${angles}: ${ampersands}`);

  it.each<[string, () => SlackMessage]>([
    ['statusMessage', () => statusMessage(longest)],
    ['statusMessage, off', () => statusMessage({ ...longest, enabled: false, reason: angles })],
    ['changeAnnouncement', () => changeAnnouncement(longest, 'U1')],
    ['changeAnnouncement of a reason of <', () => changeAnnouncement({ ...longest, reason: angles }, 'U1')],
    ['alreadyMessage', () => alreadyMessage(longest)],
    ['bypassAnnouncement', () => bypassAnnouncement({ added: ipv6, removed: ipv6 }, 'U1')],
    ['bypassUnchangedMessage', () => bypassUnchangedMessage(ipv6, 20_000)],
    [
      'bypassListMessage',
      () => bypassListMessage({ addresses: ipv6.map((cidr) => ({ cidr })), count: 20_000, limit: 10_000 }),
    ],
    ['problemMessage', () => problemMessage(`${angles}${ampersands}`, details)],
    ['workingMessage', () => workingMessage(ampersands)],
    ['usageMessage', () => usageMessage(SLACK_USAGE, `${ampersands}${angles}`)],
  ])('keeps %s within Block Kit limits, its escaping whole', (_name, build) => {
    const texts = blockKitTexts(build());
    for (const text of texts) {
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(text).not.toContain('<<');
    }
  });
});
