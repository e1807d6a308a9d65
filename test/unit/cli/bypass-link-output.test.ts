import { ApiClient } from '../../../src/cli/api-client';
import { UsageError } from '../../../src/cli/errors';
import { bypassLinkLines, lockOutWarning } from '../../../src/cli/format';
import type { Io } from '../../../src/cli/io';
import { setCommand, siteUrlFromEnv, statusCommand } from '../../../src/cli/maintenance-commands';
import { collector, statusBody, CLI_TOKEN as TOKEN, useApiStub } from '../../support/cli';

const SECRET = 'q1n6V0m2Xr4_k9-Pz8Lw3Ty7Ub5Hs0Jd2Fg6Ae1Cx9';
const LINK = `/__maintenance/bypass/${SECRET}`;
const STATUS_LINE =
  'Maintenance is ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s';
const WARNING =
  'maintenance: warning: your address 198.51.100.7 is not in the bypass set, so you will get the maintenance page too; to see the site, open the bypass link above, or run (admin): maintenance bypass add 198.51.100.7';
const NOTE =
  "maintenance: note: the bypass link is a path on the site; set MAINTENANCE_SITE_URL to the site's address (like https://www.example.com) to get it as a full URL.";

/** POST /maintenance's answer: on, with a link, for a caller outside the bypass set; with overrides. */
function onAnswer(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...statusBody({ bypassLink: LINK, siteUrl: 'https://www.example.com' }),
    changed: true,
    caller: { ip: '198.51.100.7', bypassed: false },
    ...overrides,
  });
}

describe('the bypass link and the lock-out warning in the CLI', () => {
  const { api, cli } = useApiStub({ status: 200, body: onAnswer() });

  /** Runs a command function as `run` does, with what `call` hands it (MAINTENANCE_SITE_URL and the like). */
  async function direct(call: (client: ApiClient, io: Io) => Promise<void>) {
    const stdout = collector();
    const stderr = collector();
    await call(new ApiClient({ baseUrl: api.url, token: TOKEN, timeoutMs: 2_000 }), { stdout, stderr });
    return { stdout: stdout.text(), stderr: stderr.text() };
  }

  const on = { kind: 'set', json: false, enabled: true, reason: 'Database upgrade' } as const;

  it('on, from outside the bypass set with a known site: status and full link on stdout, one warning on stderr, exit 0', async () => {
    const result = await cli(['on', '--reason', 'Database upgrade']);

    expect(result).toEqual({
      code: 0,
      stdout: `Maintenance is now ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s\nBypass link: https://www.example.com${LINK}\n`,
      stderr: `${WARNING}\n`,
    });
  });

  it('on, from a bypassed address: the link and no warning', async () => {
    api.answer = { status: 200, body: onAnswer({ caller: { ip: '198.51.100.7', bypassed: true } }) };

    const result = await cli(['on']);

    expect(result.stdout).toContain(`Bypass link: https://www.example.com${LINK}\n`);
    expect(result.stderr).toBe('');
  });

  it('on, from an older API without caller or link: the status line alone', async () => {
    api.answer = { status: 200, body: JSON.stringify({ ...statusBody(), changed: true }) };

    expect(await cli(['on'])).toEqual({
      code: 0,
      stdout: `Maintenance is now ${STATUS_LINE.slice('Maintenance is '.length)}\n`,
      stderr: '',
    });
  });

  it('on, when the site is unknown: the path on stdout, how to get the full URL and the warning on stderr', async () => {
    api.answer = { status: 200, body: onAnswer({ siteUrl: null }) };

    const result = await cli(['on']);

    expect(result.stdout.split('\n')[1]).toBe(`Bypass link: ${LINK}`);
    expect(result.stderr).toBe(`${NOTE}\n${WARNING}\n`);
  });

  it('on, already on: still warns, since the caller is locked out either way', async () => {
    api.answer = { status: 200, body: onAnswer({ changed: false }) };

    const result = await cli(['on']);

    expect(result.stdout.startsWith('Maintenance was already ON')).toBe(true);
    expect(result.stderr).toBe(`${WARNING}\n`);
  });

  it('on --json prints the answer exactly, and still warns on stderr', async () => {
    const raw = onAnswer();

    expect(await cli(['on', '--json'])).toEqual({
      code: 0,
      stdout: `${raw}\n`,
      stderr: `${lockOutWarning({ ip: '198.51.100.7', bypassed: false }, false)}\n`,
    });
  });

  it('off prints no link and no warning, even from outside the bypass set', async () => {
    api.answer = {
      status: 200,
      body: onAnswer({ enabled: false, action: 'COUNT', bypassLink: null, retryAfterSeconds: null }),
    };

    const result = await cli(['off']);

    expect(result).toEqual({
      code: 0,
      stdout:
        'Maintenance is now OFF (COUNT) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade\n',
      stderr: '',
    });
  });

  it('status while on prints the link after the status line', async () => {
    api.answer = { status: 200, body: JSON.stringify(statusBody({ bypassLink: LINK, siteUrl: null })) };

    expect(await cli(['status'])).toEqual({
      code: 0,
      stdout: `${STATUS_LINE}\nBypass link: ${LINK}\n`,
      stderr: `${NOTE}\n`,
    });
  });

  it('status while off prints no link', async () => {
    api.answer = {
      status: 200,
      body: JSON.stringify(statusBody({ enabled: false, action: 'COUNT', bypassLink: null })),
    };

    const result = await cli(['status']);

    expect(result.stdout).not.toContain('Bypass link');
    expect(result.stderr).toBe('');
  });

  it('MAINTENANCE_SITE_URL wins over the answer, joined with one slash', async () => {
    const env = { MAINTENANCE_SITE_URL: 'https://shop.example.org/' };

    const set = await direct((client, io) => setCommand(client, on, io, env));
    api.answer = { status: 200, body: JSON.stringify(statusBody({ bypassLink: LINK, siteUrl: null })) };
    const status = await direct((client, io) => statusCommand(client, { json: false }, io, env));

    expect(set.stdout).toBe(
      `Maintenance is now ${STATUS_LINE.slice('Maintenance is '.length)}\nBypass link: https://shop.example.org${LINK}\n`,
    );
    expect(set.stderr).toBe(`${WARNING}\n`);
    expect(status).toEqual({
      stdout: `${STATUS_LINE}\nBypass link: https://shop.example.org${LINK}\n`,
      stderr: '',
    });
  });

  it.each([['www.example.com'], ['ftp://www.example.com'], ['https://']])(
    'refuses MAINTENANCE_SITE_URL=%s as a usage error naming it, before any request',
    async (value) => {
      const env = { MAINTENANCE_SITE_URL: value };

      await expect(direct((client, io) => setCommand(client, on, io, env))).rejects.toThrow(UsageError);
      await expect(direct((client, io) => statusCommand(client, { json: false }, io, env))).rejects.toThrow(
        /^MAINTENANCE_SITE_URL must be the site's http or https URL/,
      );
      expect(api.requests).toEqual([]);
    },
  );

  it('off does not read MAINTENANCE_SITE_URL, so a bad one cannot get in the way of ending maintenance', async () => {
    const off = { kind: 'set', json: false, enabled: false } as const;

    api.answer = { status: 200, body: onAnswer({ enabled: false, action: 'COUNT', bypassLink: null }) };

    const result = await direct((client, io) =>
      setCommand(client, off, io, { MAINTENANCE_SITE_URL: 'nonsense' }),
    );

    expect(result.stdout).toMatch(/^Maintenance is now OFF/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('siteUrlFromEnv', () => {
  it('takes an unset or blank MAINTENANCE_SITE_URL as unknown', () => {
    expect(siteUrlFromEnv({})).toBeUndefined();
    expect(siteUrlFromEnv({ MAINTENANCE_SITE_URL: '  ' })).toBeUndefined();
  });

  it('keeps an http or https URL as given, trimmed', () => {
    expect(siteUrlFromEnv({ MAINTENANCE_SITE_URL: ' http://127.0.0.1:8080\n' })).toBe(
      'http://127.0.0.1:8080',
    );
  });
});

describe('bypassLinkLines', () => {
  it('joins the site and the path with exactly one slash, dropping a path the site URL has', () => {
    expect(bypassLinkLines(LINK, 'https://www.example.com').line).toBe(
      `Bypass link: https://www.example.com${LINK}`,
    );
    expect(bypassLinkLines(LINK, 'https://www.example.com//').line).toBe(
      `Bypass link: https://www.example.com${LINK}`,
    );
    expect(bypassLinkLines(LINK, 'http://127.0.0.1:8080/shop/').line).toBe(
      `Bypass link: http://127.0.0.1:8080${LINK}`,
    );
  });

  it('shows the path, with a note, when the site is unknown or not an http(s) URL', () => {
    expect(bypassLinkLines(LINK, null)).toEqual({ line: `Bypass link: ${LINK}`, notes: [NOTE] });
    expect(bypassLinkLines(LINK, 'mailto:ops@example.com')).toEqual({
      line: `Bypass link: ${LINK}`,
      notes: [NOTE],
    });
  });
});

describe('lockOutWarning', () => {
  it('names an IPv6 address and the command that adds it, without the link when none was shown', () => {
    expect(lockOutWarning({ ip: '2001:db8::7', bypassed: false }, false)).toBe(
      'maintenance: warning: your address 2001:db8::7 is not in the bypass set, so you will get the maintenance page too; to see the site, run (admin): maintenance bypass add 2001:db8::7',
    );
  });
});
