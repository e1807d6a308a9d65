import { statusBody, useApiStub } from '../../support/cli';

describe('maintenance doctor', () => {
  const { api, cli } = useApiStub();

  it('asks GET /maintenance and exits 0 when maintenance would be effective', async () => {
    api.requests = [];
    api.answer = { status: 200, body: JSON.stringify({ ...statusBody(), effective: true, problems: [] }) };
    const result = await cli(['doctor']);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /maintenance']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Effective');
    expect(result.stderr).toBe('');
  });

  it('lists each problem and exits 1 when it would not be', async () => {
    const problems = [
      'The web ACL is not attached to distribution E2 (it carries no web ACL): maintenance would block nobody.',
    ];
    api.answer = { status: 200, body: JSON.stringify({ ...statusBody(), effective: false, problems }) };
    const result = await cli(['doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  - ${problems[0]}`);
    expect(result.stderr).toMatch(/would not be effective \(1 problem/);
  });

  it('prints the report exactly with --json, and still exits 1 when not effective', async () => {
    const raw = JSON.stringify({ ...statusBody(), effective: false, problems: ['x'] });
    api.answer = { status: 200, body: raw };
    const result = await cli(['doctor', '--json']);
    expect(result.stdout.trim()).toBe(raw);
    expect(result.code).toBe(1);
  });

  it('refuses arguments', async () => {
    expect((await cli(['doctor', 'now'])).code).toBe(2);
  });
});
