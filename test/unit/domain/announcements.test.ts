import { announcement, elapsed, reminderAnnouncement } from '../../../src/domain/announcements';
import { blockKitTexts } from '../../support/slack';
import { anEntry } from '../../support/stream-records';

const addresses = (count: number) =>
  Array.from({ length: count }, (_, i) => `198.18.${i >> 8}.${i & 255}/32`);

describe('announcement', () => {
  it('announces maintenance on: who, why and the Retry-After, in one notification line', () => {
    const message = announcement(anEntry());

    expect(message.text).toBe(
      ':construction: Maintenance is ON, by deploy-bot: Database upgrade (Retry-After 30 min)',
    );
    expect(blockKitTexts(message)).toEqual([
      ':construction: *Maintenance is ON*, turned on by deploy-bot.\n>Database upgrade',
      'Visitors get the 503 maintenance page (Retry-After 30 min); bypassed addresses still reach the site.',
      '<!date^1796119200^{date_short_pretty} {time}|2026-12-01T10:00:00.000Z> · history entry `c1`',
    ]);
  });

  it('announces maintenance off, with its reason when it has one', () => {
    const off = announcement(
      anEntry({ action: 'maintenance.off', details: { reason: 'Upgrade done', retryAfterSeconds: null } }),
    );

    expect(off.text).toBe(':white_check_mark: Maintenance is OFF, by deploy-bot: Upgrade done');
    expect(blockKitTexts(off).slice(0, 2)).toEqual([
      ':white_check_mark: *Maintenance is OFF*, turned off by deploy-bot.\n>Upgrade done',
      'Visitors reach the site again.',
    ]);
  });

  it('leaves out a reason and a Retry-After the entry does not have', () => {
    const off = announcement(anEntry({ action: 'maintenance.off', details: { reason: null } }));

    expect(off.text).toBe(':white_check_mark: Maintenance is OFF, by deploy-bot');
    expect(blockKitTexts(off)[0]).toBe(':white_check_mark: *Maintenance is OFF*, turned off by deploy-bot.');
  });

  it('names a Slack user by a mention and a window by its id', () => {
    const slack = announcement(anEntry({ actor: 'slack:alice (U024BE7LH)' }));
    const window = announcement(anEntry({ actor: 'window:w-42' }));

    expect(slack.text).toContain('by <@U024BE7LH>: ');
    expect(window.text).toContain('by the window `w-42`: ');
  });

  it('escapes a Slack actor whose ID is not one, rather than mentioning it', () => {
    const message = announcement(anEntry({ actor: 'slack:<!here> (<!channel>)' }));

    expect(message.text).toContain('by slack:&lt;!here&gt; (&lt;!channel&gt;)');
  });

  it('never lets a reason or an actor mention the channel, in the blocks or the notification', () => {
    const message = announcement(
      anEntry({
        actor: '<!everyone> & co',
        details: { reason: '<!channel> <@U1> & friends', retryAfterSeconds: 60 },
      }),
    );

    const shown = JSON.stringify(message);
    expect(shown).not.toMatch(/<!channel>|<!everyone>|<@U1>/);
    expect(message.text).toBe(
      ':construction: Maintenance is ON, by &lt;!everyone&gt; &amp; co: &lt;!channel&gt; &lt;@U1&gt; &amp; friends (Retry-After 1 min)',
    );
  });

  it('announces a bypass change, listing what was added and removed', () => {
    const message = announcement(
      anEntry({
        action: 'bypass.update',
        details: { added: ['192.0.2.1/32', '2001:db8::/64'], removed: ['198.51.100.7/32'] },
      }),
    );

    expect(message.text).toBe(
      ':key: deploy-bot changed the maintenance bypass set: added 2 addresses, removed 1 address.',
    );
    expect(blockKitTexts(message)[0]).toBe(
      ':key: deploy-bot changed the maintenance bypass set.\n• added 2 addresses: `192.0.2.1/32`, `2001:db8::/64`\n• removed 1 address: `198.51.100.7/32`',
    );
  });

  it('announces an exemptions change with paths, leaving out an empty list', () => {
    const message = announcement(
      anEntry({ action: 'exemptions.update', details: { added: ['/health', '/api/*'], removed: [] } }),
    );

    expect(message.text).toBe(
      ':signpost: deploy-bot changed the paths exempt from maintenance: added 2 paths.',
    );
    expect(blockKitTexts(message)[0]).toBe(
      ':signpost: deploy-bot changed the paths exempt from maintenance.\n• added 2 paths: `/health`, `/api/*`',
    );
  });

  it('keeps 200 added and 200 removed addresses within Block Kit, saying how many more there are', () => {
    const message = announcement(
      anEntry({
        action: 'bypass.update',
        actor: 'x'.repeat(500),
        details: { added: addresses(200), removed: addresses(200).reverse() },
      }),
    );

    const [list] = blockKitTexts(message);
    expect(list).toContain('• added 200 addresses: `198.18.0.0/32`');
    expect(list).toContain(' and 180 more\n• removed 200 addresses: ');
    expect(list).toMatch(/ and 180 more$/);
    expect(list?.length).toBeLessThanOrEqual(3_000);
  });

  it('fits a reason at its longest, escaped to five times its length, within Block Kit', () => {
    const message = announcement(anEntry({ details: { reason: '&'.repeat(500), retryAfterSeconds: 300 } }));

    const [text] = blockKitTexts(message);
    expect(text).toContain('&amp;'.repeat(500));
    expect(message.text.endsWith('…')).toBe(true);
    expect(message.text).not.toMatch(/&(?!amp;)|&a?m?p?…/);
  });

  it('reads details of the wrong shape as absent rather than failing', () => {
    const toggle = announcement(anEntry({ details: { reason: 42, retryAfterSeconds: 'soon' } }));
    const bypass = announcement(
      anEntry({ action: 'bypass.update', details: { added: ['192.0.2.1/32', 7] } }),
    );

    expect(toggle.text).toBe(':construction: Maintenance is ON, by deploy-bot');
    expect(bypass.text).toBe(':key: deploy-bot changed the maintenance bypass set: added 1 address.');
  });
});

describe('the announcements of windows', () => {
  const window = {
    windowId: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
    startsAt: '2026-12-06T02:00:00.000Z',
    endsAt: '2026-12-06T03:00:00.000Z',
    reason: 'Database upgrade',
    retryAfterSeconds: null,
  };
  const dates = (text: string) => text.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1');

  it('announces a window planned, with its times in each reader’s own zone and its reason', () => {
    const message = announcement(anEntry({ action: 'window.create', details: window }));
    expect(message.text).toBe(
      ':calendar: deploy-bot scheduled maintenance window `1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed`, from 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z.',
    );
    const [section] = blockKitTexts(message);
    expect(section).toContain('<!date^1796522400^{date_short_pretty} {time}|2026-12-06T02:00:00.000Z>');
    expect(section?.endsWith('\n>Database upgrade')).toBe(true);
  });

  it.each([
    [{ wasActive: false, turnedOff: false }, 'cancelled maintenance window'],
    [{ wasActive: true, turnedOff: true }, 'It ended now: maintenance is OFF.'],
    [{ wasActive: true, turnedOff: false }, 'maintenance was no longer its own, and is left as it is'],
  ])('announces a window cancelled (%j)', (how, words) => {
    const message = announcement(anEntry({ action: 'window.cancel', details: { ...window, ...how } }));
    expect(dates(message.text)).toContain(words);
  });

  it('says who had taken over when a window ended without turning maintenance off, and when it was missed', () => {
    const leftAlone = announcement(
      anEntry({
        action: 'window.end',
        actor: 'window:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
        details: { ...window, outcome: 'left-alone', changedBy: 'slack:alice (U024BE7LH)' },
      }),
    );
    expect(blockKitTexts(leftAlone)[0]).toContain('but <@U024BE7LH> had taken over maintenance since');
    const missed = announcement(anEntry({ action: 'window.end', details: { ...window, outcome: 'missed' } }));
    expect(missed.text).toContain('ended without starting: its start came too late. Nothing was changed.');
  });

  it('never lets a window’s reason mention the channel, and fits a long one within Block Kit', () => {
    const loud = announcement(
      anEntry({ action: 'window.create', details: { ...window, reason: '<!channel>' } }),
    );
    expect(JSON.stringify(loud)).not.toContain('<!channel>');
    const long = announcement(
      anEntry({ action: 'window.create', details: { ...window, reason: '&'.repeat(500) } }),
    );
    for (const text of blockKitTexts(long)) expect(text.length).toBeLessThanOrEqual(3_000);
    expect(long.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('the reminder', () => {
  it('says how long maintenance has been on and how far past its expected end, in words', () => {
    const status = {
      changedAt: '2026-12-01T10:00:00.000Z',
      changedBy: 'deploy-bot',
      reason: 'Database upgrade',
      endsAt: null,
      retryAfterSeconds: 3600,
    };
    const message = reminderAnnouncement(status, new Date('2026-12-01T11:20:00.000Z'));
    expect(message.text).toBe(
      ':alarm_clock: Maintenance is still ON: on for 1 h 20 min, 20 min past its expected end',
    );
    expect(blockKitTexts(message)[0]).toBe(
      ':alarm_clock: *Maintenance is still ON*: on for 1 h 20 min, 20 min past its expected end. Turned on by deploy-bot.\n>Database upgrade',
    );
    const window = reminderAnnouncement(
      { ...status, endsAt: '2026-12-01T11:00:00.000Z', retryAfterSeconds: 1 },
      new Date('2026-12-01T13:00:40.000Z'),
    );
    expect(window.text).toContain('on for 3 h, 2 h past its expected end');
  });

  it.each([
    [40_000, '40 s'],
    [60_000, '1 min'],
    [3_600_000, '1 h'],
    [4_800_000, '1 h 20 min'],
    [-5, '0 s'],
  ])('puts %d ms as %s', (ms, words) => {
    expect(elapsed(ms)).toBe(words);
  });
});
