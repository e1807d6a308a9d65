import { Deadline } from '../../../src/domain/deadline';
import { ConflictError, DeadlineError, ValidationError } from '../../../src/domain/errors';
import { MAX_EXEMPTIONS } from '../../../src/domain/values';
import { listExemptions } from '../../../src/use-cases/list-exemptions';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { updateExemptions } from '../../../src/use-cases/update-exemptions';
import { FakeClock, switchDeps } from '../../support/fakes';

function makeDeps() {
  const clock = new FakeClock();
  return switchDeps({
    clock,
    policy: { budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.5 },
    deadline: Deadline.in(clock, 27_000),
  });
}

const paths = async (deps: ReturnType<typeof makeDeps>) => (await listExemptions(deps)).paths;

describe('updateExemptions', () => {
  it('adds exact and prefix paths in one write, and lists them as given', async () => {
    const deps = makeDeps();
    const change = await updateExemptions(deps, { add: ['/health', '/api/webhooks/*'], actor: 'alice' });
    expect(change).toEqual({ added: ['/health', '/api/webhooks/*'], removed: [], unchanged: [], count: 2 });
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(await listExemptions(deps)).toEqual({
      paths: ['/health', '/api/webhooks/*'],
      count: 2,
      limit: 20,
    });
  });

  it('removes, and reports what was already as asked without writing for it', async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: ['/health', '/status'], actor: 'alice' });
    const change = await updateExemptions(deps, {
      add: ['/health'],
      remove: ['/status', '/never'],
      actor: 'alice',
    });
    expect(change).toEqual({ added: [], removed: ['/status'], unchanged: ['/never', '/health'], count: 1 });
    expect(await paths(deps)).toEqual(['/health']);
    const writes = deps.ruleGroup.writes.length;
    expect(await updateExemptions(deps, { add: ['/health'], actor: 'alice' })).toEqual({
      added: [],
      removed: [],
      unchanged: ['/health'],
      count: 1,
    });
    expect(deps.ruleGroup.writes).toHaveLength(writes);
  });

  it('refuses the whole batch for one bad path, naming it, with no read and no write', async () => {
    const deps = makeDeps();
    const refused = updateExemptions(deps, { add: ['/health', '/*', '/a?b'], actor: 'alice' });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({
      errors: [
        { field: 'add[1]', message: 'would exempt the whole site' },
        { field: 'add[2]', message: 'must be a path alone, without ? (query) or # (fragment)' },
      ],
    });
    expect(deps.ruleGroup.reads).toBe(0);
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it(`refuses more than ${MAX_EXEMPTIONS} in all, counting those already listed, and writes nothing`, async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: Array.from({ length: 19 }, (_, i) => `/p${i}`), actor: 'alice' });
    const refused = updateExemptions(deps, { add: ['/a', '/b'], actor: 'alice' });
    await expect(refused).rejects.toMatchObject({
      // The 20th fits; the entry that would be the 21st is named.
      errors: [{ field: 'add[1]', message: 'there would be 21 exempt paths; the limit is 20' }],
    });
    expect(deps.ruleGroup.writes).toHaveLength(1);
    // Making room in the same request is fine.
    await expect(
      updateExemptions(deps, { add: ['/a', '/b'], remove: ['/p0'], actor: 'alice' }),
    ).resolves.toMatchObject({
      count: 20,
    });
  });

  it('keeps the paths across toggles, which restate the group', async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: ['/health'], actor: 'alice' });
    await setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    await setMaintenanceMode(deps, { enabled: false, actor: 'a' });
    expect(await paths(deps)).toEqual(['/health']);
  });

  it('keeps maintenance as it is: on stays on with its secret', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, reason: 'Upgrade', actor: 'a' });
    const before = deps.ruleGroup.state;
    await updateExemptions(deps, { add: ['/health'], actor: 'alice' });
    expect(deps.ruleGroup.state).toEqual({
      ...before,
      exemptions: [expect.objectContaining({ path: '/health' })],
    });
  });

  it('reads again and applies on a stale lock token, losing neither change', async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: ['/a'], actor: 'alice' });
    deps.ruleGroup.conflictsBeforeWrite = 2;
    await updateExemptions(deps, { add: ['/b'], actor: 'alice' });
    expect(await paths(deps)).toEqual(['/a', '/b']);
  });

  it('gives up with a conflict once the budget is spent, having applied nothing', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = 1_000;
    await expect(updateExemptions(deps, { add: ['/a'], actor: 'alice' })).rejects.toThrow(ConflictError);
    expect(await paths(deps)).toEqual([]);
  });

  it('starts no write once the request’s deadline leaves too little time', async () => {
    const deps = makeDeps();
    deps.deadline = Deadline.in(deps.clock, 500);
    await expect(updateExemptions(deps, { add: ['/a'], actor: 'alice' })).rejects.toThrow(DeadlineError);
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });
});
