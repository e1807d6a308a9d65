import { bypassLinkUrl, siteOrigin } from '../../../src/domain/bypass-link';
import type { MaintenanceStatus } from '../../../src/domain/maintenance-status';
import {
  alreadyMessage,
  bypassLinkMessage,
  changeAnnouncement,
  statusMessage,
} from '../../../src/domain/slack-messages';
import { aStatus } from '../../support/fakes';
import { blockKitTexts } from '../../support/slack';

const SECRET = 'q1n6V0m2Xr4_k9-Pz8Lw3Ty7Ub5Hs0Jd2Fg6Ae1Cx9';
const LINK = `/__maintenance/bypass/${SECRET}`;

/** On since the fake clock's start, turned on from Slack, with its link and the site. */
function status(overrides: Partial<MaintenanceStatus> = {}): MaintenanceStatus {
  return aStatus({
    changedAt: '2026-11-23T10:00:00.000Z',
    changedBy: 'slack:alice (U2147483697)',
    bypassLink: LINK,
    siteUrl: 'https://www.example.com',
    ...overrides,
  });
}

const HINT =
  'Admins can let an address through instead: `maintenance bypass add YOUR_IP` or `/maintenance allow YOUR_IP`.';

describe('bypassLinkMessage', () => {
  it('gives the caller alone the full link, why they may be locked out, and the admins’ way in', () => {
    expect(bypassLinkMessage(status())).toEqual({
      response_type: 'ephemeral',
      text: ':key: You may get the maintenance page too: here is your bypass link.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `:key: *You may get the maintenance page too*: Slack cannot see which address you browse from, so nobody can tell whether yours is in the bypass set. To see the site, open this bypass link (only you can see this message):\n<https://www.example.com${LINK}>`,
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `The link sets a cookie that lets your browser through until maintenance turns off; share it with operators only. ${HINT}`,
            },
          ],
        },
      ],
    });
  });

  it('gives the path as code, and how to get a full link, when the stack does not know the site', () => {
    const texts = blockKitTexts(bypassLinkMessage(status({ siteUrl: null })) ?? { text: '' });

    expect(texts[0]).toContain(
      `open this path on the site's address (only you can see this message):\n\`${LINK}\``,
    );
    expect(texts[1]).toBe(
      `The link sets a cookie that lets your browser through until maintenance turns off; share it with operators only (the stack does not know the site's address: the stage parameter \`siteUrl\` makes this a full link). ${HINT}`,
    );
  });

  it('keeps the link out of the fallback text, which notifications show', () => {
    expect(bypassLinkMessage(status())?.text).not.toContain(SECRET);
  });

  it('is null while there is no link', () => {
    expect(bypassLinkMessage(status({ enabled: false, action: 'COUNT', bypassLink: null }))).toBeNull();
  });

  it('leaves a long query of the site address out of the link, within Block Kit limits', () => {
    const siteUrl = `https://${'a'.repeat(60)}.example.com:8443/?${'&x=1'.repeat(700)}`;
    const texts = blockKitTexts(bypassLinkMessage(status({ siteUrl })) ?? { text: '' });

    // The address's query is not part of the link (the rule matches the path): the link stays whole.
    expect(texts[0]).toContain(`<https://${'a'.repeat(60)}.example.com:8443${LINK}>`);
  });
});

describe('the link in the other Slack messages', () => {
  it('shows the link in /maintenance status, which only the caller sees', () => {
    const message = statusMessage(status());

    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks?.[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:key: Bypass link (only you can see this message): <https://www.example.com${LINK}>`,
        },
      ],
    });
    expect(message.text).not.toContain(SECRET);
  });

  it('shows no link line in the status while off', () => {
    const message = statusMessage(status({ enabled: false, action: 'COUNT', bypassLink: null }));

    expect(message.blocks).toHaveLength(2);
  });

  it('never puts the link in the channel announcement or in the already-on reply', () => {
    for (const message of [changeAnnouncement(status(), 'U2147483697'), alreadyMessage(status())]) {
      expect(JSON.stringify(message)).not.toContain(SECRET);
      expect(JSON.stringify(message)).not.toContain('__maintenance');
    }
  });
});

describe('bypassLinkUrl', () => {
  it.each([
    ['https://www.example.com', `https://www.example.com${LINK}`],
    ['https://www.example.com/', `https://www.example.com${LINK}`],
    ['https://www.example.com/shop/?a=1#top', `https://www.example.com${LINK}`],
    ['http://127.0.0.1:8080', `http://127.0.0.1:8080${LINK}`],
  ])('joins %s and the path with one slash, at the root of the host', (siteUrl, expected) => {
    expect(bypassLinkUrl(LINK, siteUrl)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['www.example.com'], ['ftp://example.com'], ['javascript:alert(1)']])(
    'is null for the site address %p',
    (siteUrl) => {
      expect(bypassLinkUrl(LINK, siteUrl)).toBeNull();
    },
  );

  it('gives the origin of an http(s) address only', () => {
    expect(siteOrigin(' https://WWW.Example.com:443/x ')).toBe('https://www.example.com');
    expect(siteOrigin('file:///etc/passwd')).toBeNull();
    expect(siteOrigin('https://*.example.com')).toBeNull();
    expect(siteOrigin('')).toBeNull();
  });
});
