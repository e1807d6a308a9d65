import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHandler as createCancelWindow } from '../../../handlers/cancel-window';
import { createHandler as createCreateWindow } from '../../../handlers/create-window';
import { createHandler as createGetBypass } from '../../../handlers/get-bypass';
import { createHandler as createGetExemptions } from '../../../handlers/get-exemptions';
import { createHandler as createGetHistory } from '../../../handlers/get-history';
import { createHandler as createGetMaintenance } from '../../../handlers/get-maintenance';
import { createHandler as createListWindows } from '../../../handlers/list-windows';
import { createHandler as createSetMaintenance } from '../../../handlers/set-maintenance';
import { createHandler as createUpdateBypass } from '../../../handlers/update-bypass';
import { createHandler as createUpdateExemptions } from '../../../handlers/update-exemptions';
import { API, type TokenRoute } from '../../../src/api/routes';
import { hasRole, ROLES, type Role } from '../../../src/domain/roles';
import { httpEvent, invoke } from '../../support/events';
import * as fake from '../../support/fakes';
import { RecordingLogger } from '../../support/recording-logger';
import { aWindow, InMemoryWindowStore, RecordingTimers } from '../../support/window-fakes';

const TOKENS: Record<Role, string> = { operator: fake.OPERATOR_TOKEN, admin: fake.ADMIN_TOKEN };

function makeDeps() {
  const tokens = new fake.InMemoryTokenRegistry(ROLES.map((role) => [TOKENS[role], `${role}-bot`, role]));
  const bypass = new fake.InMemoryBypassSets();
  bypass.externalWrite(4, ['192.0.2.0/24']);
  const windows = new InMemoryWindowStore();
  windows.seed(aWindow({ id: WINDOW_ID }));
  return fake.switchDeps({
    bypass,
    tokens,
    windows,
    timers: new RecordingTimers(),
    logger: new RecordingLogger(),
    edge: new fake.FakeEdge(),
    expected: {
      groupArn: fake.GROUP_ARN,
      webAclArns: [fake.ACL_ARN],
      ipSets: { v4: fake.V4, v6: fake.V6 },
      distributionId: 'E2FAKE',
    },
  });
}

type Handler = ReturnType<typeof createGetBypass>;

const WINDOW_ID = '33333333-3333-4333-8333-333333333333';

/** Each route served by a handler: how to build it, and a request it answers with 2xx. */
const CASES: Array<{
  route: TokenRoute;
  create: (deps: ReturnType<typeof makeDeps>) => Handler;
  body?: unknown;
  /** Its 2xx; 200 when not given. */
  status?: number;
  pathParameters?: Record<string, string>;
}> = [
  { route: API.getMaintenance, create: createGetMaintenance },
  {
    route: API.setMaintenance,
    create: createSetMaintenance,
    body: { enabled: true, reason: 'Upgrade', retryAfterSeconds: 600 },
  },
  { route: API.getBypass, create: createGetBypass },
  { route: API.updateBypass, create: createUpdateBypass, body: { add: ['198.51.100.7', '10.1.2.3'] } },
  { route: API.getExemptions, create: createGetExemptions },
  {
    route: API.updateExemptions,
    create: createUpdateExemptions,
    body: { add: ['/health', '/api/webhooks/*'], remove: ['/old'] },
  },
  {
    route: API.createWindow,
    create: createCreateWindow,
    body: { startsAt: '2026-12-13T02:00:00Z', endsAt: '2026-12-13T03:00:00Z', reason: 'Upgrade' },
    status: 201,
  },
  { route: API.listWindows, create: createListWindows },
  { route: API.cancelWindow, create: createCancelWindow, pathParameters: { id: WINDOW_ID } },
  { route: API.getHistory, create: createGetHistory },
];

function request(
  route: TokenRoute,
  role: Role,
  body: unknown,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS[role]}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return httpEvent({
    method: route.method,
    path: route.path,
    headers,
    ...(pathParameters ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe.each(CASES)(
  'the handler of $route.method $route.path',
  ({ route, create, body, status = 200, pathParameters }) => {
    beforeEach(() => {
      jest.spyOn(console, 'info').mockImplementation(() => undefined);
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("answers, to its route's least role, a body its answer schema reads whole", async () => {
      const res = await invoke(create(makeDeps()), request(route, route.role, body, pathParameters));
      expect(res.status).toBe(status);
      const read = route.answer.safeParse(res.body);
      expect(read.error?.issues).toBeUndefined();
      // z.object drops what it does not know: a field the description lacks would be missing here.
      expect(read.data).toEqual(res.body);
    });

    it('lets in every role from its least one up, and refuses those below', async () => {
      const statuses = [];
      for (const role of ROLES) {
        statuses.push((await invoke(create(makeDeps()), request(route, role, body, pathParameters))).status);
      }
      expect(statuses).toEqual(ROLES.map((role) => (hasRole(role, route.role) ? status : 403)));
    });
  },
);

describe('the table above', () => {
  it('covers every route of the description that takes a token', () => {
    const tokenRoutes = Object.values(API).filter((route) => route.role !== 'slack-signature');
    expect(CASES.map((c) => c.route)).toEqual(tokenRoutes);
  });
});
