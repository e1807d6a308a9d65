import crypto, { createHmac } from 'node:crypto';
import {
  SLACK_MAX_AGE_SECONDS,
  type SlackSignatureInput,
  verifySlackSignature,
} from '../../../src/domain/slack-signature';

const SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const TIMESTAMP = '1763872000';
const NOW = new Date(Number(TIMESTAMP) * 1000);

// A slash command as Slack posts it: form-encoded, `+` for spaces, `%2F` for slashes.
const BODY = [
  'token=gIkuvaNzQIHg97ATvDxqgjtO',
  'team_id=T0001',
  'team_domain=example',
  'enterprise_id=E0001',
  'enterprise_name=Globular%20Construct%20Inc',
  'channel_id=C2147483705',
  'channel_name=ops',
  'user_id=U2147483697',
  'user_name=Steve',
  'command=%2Fmaintenance',
  'text=on+30m+Database+upgrade',
  'api_app_id=A123456',
  'is_enterprise_install=false',
  'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1234567890%2FsaBpT2nMqD9cA1bzJ3iQk7dS',
  'trigger_id=13345224609.738474920.8088930838d88f008e0',
].join('&');

function sign(body: string | Buffer, timestamp = TIMESTAMP, secret = SECRET): string {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:`);
  return `v0=${hmac.update(body).digest('hex')}`;
}

function request(overrides: Partial<SlackSignatureInput> = {}): SlackSignatureInput {
  return {
    secret: SECRET,
    rawBody: BODY,
    timestamp: TIMESTAMP,
    signature: sign(BODY),
    now: NOW,
    ...overrides,
  };
}

function secondsFrom(timestamp: string, seconds: number): Date {
  return new Date((Number(timestamp) + seconds) * 1000);
}

describe('verifySlackSignature', () => {
  describe('accepts', () => {
    it('a slash command signed with the secret, as a string body', () => {
      expect(verifySlackSignature(request())).toEqual({ ok: true });
    });

    it('the same command as a Buffer body', () => {
      expect(verifySlackSignature(request({ rawBody: Buffer.from(BODY) }))).toEqual({ ok: true });
    });

    it("the example from Slack's documentation", () => {
      const body =
        'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
        '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
        '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
        '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
      const check = verifySlackSignature({
        secret: '8f742231b10e8888abcd99yyyzzz85a5',
        rawBody: body,
        timestamp: '1531420618',
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        now: new Date(1531420618 * 1000),
      });
      expect(check).toEqual({ ok: true });
    });

    it('a body with multibyte UTF-8, hashed as UTF-8 whether it arrives as a string or as bytes', () => {
      const body = `${BODY}&note=Café ☕ データベース 🚧`;
      const signature = sign(Buffer.from(body, 'utf8'));
      expect(verifySlackSignature(request({ rawBody: body, signature }))).toEqual({ ok: true });
      expect(verifySlackSignature(request({ rawBody: Buffer.from(body, 'utf8'), signature }))).toEqual({
        ok: true,
      });
    });

    it('a Buffer body exactly as is, even bytes that are not valid UTF-8', () => {
      // Decoding to a string first would turn 0xff into U+FFFD and break the signature.
      const body = Buffer.concat([Buffer.from(`${BODY}&x=`), Buffer.from([0xff, 0xfe, 0x80])]);
      expect(verifySlackSignature(request({ rawBody: body, signature: sign(body) }))).toEqual({ ok: true });
    });

    it('a digest in upper-case hex', () => {
      const signature = `v0=${sign(BODY).slice(3).toUpperCase()}`;
      expect(verifySlackSignature(request({ signature }))).toEqual({ ok: true });
    });

    it.each([
      ['old', -SLACK_MAX_AGE_SECONDS],
      ['ahead', SLACK_MAX_AGE_SECONDS],
    ])('a timestamp exactly %s by the 300 s limit', (_, offset) => {
      expect(SLACK_MAX_AGE_SECONDS).toBe(300);
      // now - timestamp = -offset: a timestamp `offset` seconds before (or after) now.
      const now = secondsFrom(TIMESTAMP, -offset);
      expect(verifySlackSignature(request({ now }))).toEqual({ ok: true });
    });
  });

  describe('refuses', () => {
    it('a request that is 301 s old (a replay)', () => {
      expect(verifySlackSignature(request({ now: secondsFrom(TIMESTAMP, 301) }))).toEqual({
        ok: false,
        reason: 'timestamp outside the 5-minute window',
      });
    });

    it('a request stamped 301 s in the future (clock skew or a forger)', () => {
      expect(verifySlackSignature(request({ now: secondsFrom(TIMESTAMP, -301) }))).toEqual({
        ok: false,
        reason: 'timestamp outside the 5-minute window',
      });
    });

    it('a freshly signed request whose timestamp is outside the window, signature correct or not', () => {
      const stale = String(Number(TIMESTAMP) - 3600);
      const check = verifySlackSignature(request({ timestamp: stale, signature: sign(BODY, stale) }));
      expect(check).toEqual({ ok: false, reason: 'timestamp outside the 5-minute window' });
    });

    it('a wrong signature', () => {
      const signature = `v0=${'0'.repeat(64)}`;
      expect(verifySlackSignature(request({ signature }))).toEqual({
        ok: false,
        reason: 'signature mismatch',
      });
    });

    it('a signature with one hex digit changed', () => {
      const good = sign(BODY);
      const last = good.at(-1) === '0' ? '1' : '0';
      const signature = `${good.slice(0, -1)}${last}`;
      expect(verifySlackSignature(request({ signature }))).toEqual({
        ok: false,
        reason: 'signature mismatch',
      });
    });

    it('a body signed with a different secret', () => {
      const signature = sign(BODY, TIMESTAMP, 'another-workspace-secret');
      expect(verifySlackSignature(request({ signature }))).toEqual({
        ok: false,
        reason: 'signature mismatch',
      });
    });

    it.each([
      ['one character changed', BODY.replace('text=on+30m', 'text=on+90m')],
      ['a parameter appended', `${BODY}&x=1`],
      ['spaces re-encoded as %20', BODY.replace('on+30m+Database+upgrade', 'on%2030m%20Database%20upgrade')],
      ['a trailing newline', `${BODY}\n`],
      ['the body emptied', ''],
    ])('a body altered after signing: %s', (_, rawBody) => {
      expect(rawBody).not.toBe(BODY);
      expect(verifySlackSignature(request({ rawBody }))).toEqual({ ok: false, reason: 'signature mismatch' });
    });

    it('a timestamp altered after signing, still inside the window', () => {
      const timestamp = String(Number(TIMESTAMP) + 1);
      expect(verifySlackSignature(request({ timestamp }))).toEqual({
        ok: false,
        reason: 'signature mismatch',
      });
    });

    it.each([
      ['timestamp missing', { timestamp: undefined }, 'missing timestamp'],
      ['timestamp empty', { timestamp: '' }, 'missing timestamp'],
      ['signature missing', { signature: undefined }, 'missing signature'],
      ['signature empty', { signature: '' }, 'missing signature'],
    ])('a request with the %s', (_, overrides, reason) => {
      expect(verifySlackSignature(request(overrides))).toEqual({ ok: false, reason });
    });

    it.each([
      ['v1', (digest: string) => `v1=${digest}`],
      ['upper-case V0', (digest: string) => `V0=${digest}`],
      ['no version', (digest: string) => digest],
      ['an empty version', (digest: string) => `=${digest}`],
      ['v0 without the "="', (digest: string) => `v0${digest}`],
    ])('a signature with %s, even around the correct digest', (_, format) => {
      const signature = format(sign(BODY).slice(3));
      expect(verifySlackSignature(request({ signature }))).toEqual({
        ok: false,
        reason: 'unsupported signature version',
      });
    });

    it.each([
      ['truncated', (digest: string) => digest.slice(0, 63)],
      ['cut to half', (digest: string) => digest.slice(0, 32)],
      ['one digit too many', (digest: string) => `${digest}0`],
      ['not hex', (digest: string) => `${digest.slice(0, 63)}g`],
      ['base64 instead of hex', (digest: string) => Buffer.from(digest, 'hex').toString('base64')],
      ['padded with a space', (digest: string) => `${digest} `],
      ['empty', () => ''],
      ['a second signature appended', (digest: string) => `${digest},v0=${digest}`],
    ])('a digest that is %s', (_, format) => {
      const signature = `v0=${format(sign(BODY).slice(3))}`;
      expect(verifySlackSignature(request({ signature }))).toEqual({
        ok: false,
        reason: 'malformed signature',
      });
    });

    it.each([
      ['a plus sign', `+${TIMESTAMP}`],
      ['a minus sign', `-${TIMESTAMP}`],
      ['decimals', `${TIMESTAMP}.0`],
      ['a leading space', ` ${TIMESTAMP}`],
      ['a trailing space', `${TIMESTAMP} `],
      ['an exponent', '1.763872e9'],
      ['hex', `0x${Number(TIMESTAMP).toString(16)}`],
      ['absurdly many digits', '9'.repeat(400)],
    ])('a timestamp with %s, even when signed as sent', (_, timestamp) => {
      const check = verifySlackSignature(request({ timestamp, signature: sign(BODY, timestamp) }));
      expect(check).toEqual({ ok: false, reason: 'malformed timestamp' });
    });

    it('everything when the secret is empty, even a request signed with the empty secret', () => {
      const check = verifySlackSignature(request({ secret: '', signature: sign(BODY, TIMESTAMP, '') }));
      expect(check).toEqual({ ok: false, reason: 'no signing secret configured' });
    });
  });

  describe('never throws', () => {
    it('on an invalid clock', () => {
      expect(verifySlackSignature(request({ now: new Date(Number.NaN) }))).toMatchObject({ ok: false });
    });

    it('on a body of the wrong type from an untyped caller', () => {
      const rawBody = { not: 'a body' } as unknown as string;
      expect(() => verifySlackSignature(request({ rawBody }))).not.toThrow();
      expect(verifySlackSignature(request({ rawBody }))).toMatchObject({ ok: false });
    });

    it('on a missing secret from an untyped caller', () => {
      const secret = undefined as unknown as string;
      expect(verifySlackSignature(request({ secret }))).toEqual({
        ok: false,
        reason: 'no signing secret configured',
      });
    });
  });

  describe('comparison', () => {
    afterEach(() => jest.restoreAllMocks());

    it.each([
      ['a valid signature', sign(BODY), true],
      ['a mismatched one', `v0=${'f'.repeat(64)}`, false],
    ])('compares %s with timingSafeEqual on two 32-byte digests', (_, signature, ok) => {
      const spy = jest.spyOn(crypto, 'timingSafeEqual');
      expect(verifySlackSignature(request({ signature })).ok).toBe(ok);
      expect(spy).toHaveBeenCalledTimes(1);
      const [left, right] = spy.mock.calls[0] ?? [];
      expect(Buffer.isBuffer(left) && left.length).toBe(32);
      expect(Buffer.isBuffer(right) && right.length).toBe(32);
    });
  });
});
