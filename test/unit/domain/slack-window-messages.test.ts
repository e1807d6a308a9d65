import {
  windowCancelledAnnouncement,
  windowScheduledAnnouncement,
  windowsListMessage,
} from '../../../src/domain/slack-messages';
import { blockKitTexts } from '../../support/slack';
import { aWindow } from '../../support/window-fakes';

const evil = '<!channel> & <@U1> '.repeat(40);

describe('the window messages', () => {
  it.each([
    ['windowScheduledAnnouncement', () => windowScheduledAnnouncement(aWindow({ reason: evil }), 'U1')],
    [
      'windowCancelledAnnouncement',
      () =>
        windowCancelledAnnouncement(
          { window: aWindow({ reason: evil }), wasActive: true, turnedOff: false },
          'U1',
        ),
    ],
    ['windowsListMessage', () => windowsListMessage([aWindow({ reason: evil })])],
  ])('%s escapes the reason and keeps within Block Kit limits', (_, build) => {
    const text = blockKitTexts(build()).join('\n');

    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('lists 50 windows with long reasons within the limits, counting those it leaves out', () => {
    const windows = Array.from({ length: 50 }, (_, i) =>
      aWindow({ id: `w${i}`, reason: 'x'.repeat(500), state: i === 0 ? 'active' : 'scheduled' }),
    );
    const [text = ''] = blockKitTexts(windowsListMessage(windows));

    expect(text.startsWith('50 maintenance windows:\n• *active* ')).toBe(true);
    expect(text).toMatch(/\n…and \d+ more \(see `maintenance windows`\)\.$/);
  });

  it('says what cancelling did to the switch', () => {
    const said = (wasActive: boolean, turnedOff: boolean) =>
      blockKitTexts(windowCancelledAnnouncement({ window: aWindow(), wasActive, turnedOff }, 'U1'))[1];

    expect(said(false, false)).toMatch(/^It had not started: it never will\./);
    expect(said(true, true)).toMatch(/^It had started: maintenance is OFF again/);
    expect(said(true, false)).toMatch(/maintenance was no longer its own .*: maintenance stays as it is\./);
  });
});
