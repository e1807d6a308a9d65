import {
  bypassListMessage,
  changeAnnouncement,
  escapeMrkdwn,
  problemMessage,
  statusMessage,
  usageMessage,
} from '../../../src/domain/slack-messages';

const on = {
  enabled: true,
  action: 'BLOCK' as const,
  reason: '<!channel> & friends',
  retryAfterSeconds: 5400,
  changedAt: '2026-11-23T10:00:00.000Z',
  changedBy: 'slack:alice (U1)',
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
