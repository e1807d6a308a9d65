import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { createHandler as createUpdate } from '../../../handlers/update-bypass';
import { createHandler as createUpdateExemptions } from '../../../handlers/update-exemptions';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { ADMIN_TOKEN, InMemoryBypassSets, InMemoryTokenRegistry, switchDeps } from '../../support/fakes';

function makeDeps() {
  const tokens = new InMemoryTokenRegistry([[ADMIN_TOKEN, 'alice', 'admin']]);
  return switchDeps({ bypass: new InMemoryBypassSets(), tokens });
}

const ROUTES = [
  { path: '/maintenance', create: createSet },
  { path: '/maintenance/bypass', create: createUpdate },
  { path: '/maintenance/exemptions', create: createUpdateExemptions },
] as const;

/** A POST whose body is exactly `body` (text), with overridable headers. */
function post(path: string, body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return httpEvent({
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

function nothingWritten(deps: ReturnType<typeof makeDeps>) {
  expect(deps.ruleGroup.writes).toEqual([]);
  expect(deps.bypass.sets[4].addresses).toEqual([]);
  expect(deps.bypass.sets[6].addresses).toEqual([]);
}

describe.each(ROUTES)('POST $path with a body that is not what it should be', ({ path, create }) => {
  it.each(['0', 'false', '-0', '0e5', 'null', 'true', '1', '"on"', '[]', '[{"enabled":true}]'])(
    'answers 400 "must be a JSON object" to %s',
    async (body) => {
      const deps = makeDeps();
      const res = await invoke(create(deps), post(path, body));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
      nothingWritten(deps);
    },
  );

  it.each([0, false, -0, null, 1])(
    'answers 400 when the event carries the parsed value %p (serverless-offline)',
    async (value) => {
      const deps = makeDeps();
      const event = post(path, '');
      (event as unknown as { body: unknown }).body = value;
      const res = await invoke(create(deps), event);
      expect(res.status).toBe(400);
      nothingWritten(deps);
    },
  );

  it('answers 400 naming a duplicate key instead of letting the last one win', async () => {
    const deps = makeDeps();
    const res = await invoke(
      create(deps),
      post(path, '{"enabled":false,"add":["192.0.2.1"],"enabled":true}'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'enabled', message: 'appears more than once; name each field once' },
    ]);
    nothingWritten(deps);
  });

  it.each(['latin1', 'ISO-8859-1', 'utf-16', '"windows-1252"'])(
    'answers 415 to a body declared as %s',
    async (charset) => {
      const deps = makeDeps();
      const res = await invoke(
        create(deps),
        post(path, '{}', { 'content-type': `application/json; charset=${charset}` }),
      );
      expect(res.status).toBe(415);
      expect(res.body.detail).toContain('UTF-8');
      nothingWritten(deps);
    },
  );

  it('answers 400 to bytes that are not UTF-8', async () => {
    const deps = makeDeps();
    const event = post(path, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64'));
    event.isBase64Encoded = true;
    const res = await invoke(create(deps), event);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'is not valid UTF-8' }]);
  });
});

describe('POST /maintenance body rules', () => {
  it.each(['utf-8', 'UTF-8', '"utf-8"', 'utf8'])('accepts charset=%s', async (charset) => {
    const deps = makeDeps();
    const res = await invoke(
      createSet(deps),
      post('/maintenance', '{"enabled":true}', { 'content-type': `application/json; charset=${charset}` }),
    );
    expect(res.status).toBe(200);
  });

  it('answers 400 naming a duplicate key nested in the body', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createUpdate(deps),
      post('/maintenance/bypass', '{"add":["192.0.2.1"],"add":[]}'),
    );
    expect(res.body.errors).toEqual([
      { field: 'add', message: 'appears more than once; name each field once' },
    ]);
  });

  it('answers 400 naming the reason when it holds a control character, and changes nothing', async () => {
    const deps = makeDeps();
    const res = await invoke(createSet(deps), jsonPost(ADMIN_TOKEN, { enabled: true, reason: 'one\ntwo' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'reason', message: 'must be one line of text without control characters (U+000A)' },
    ]);
    expect(deps.ruleGroup.reads).toBe(0);
  });
});
