import type { Context } from 'aws-lambda';
import { ANSWER_MARGIN_MS } from '../../../handlers/lib/answer-in-time';
import { createHandler, FINAL_REPLY_MS } from '../../../handlers/slack-worker';
import { systemClock } from '../../../src/ports/clock';
import type { VersionedRuleGroup } from '../../../src/ports/rule-group-store';
import {
  InMemoryBypassSets,
  InMemoryTokenRegistry,
  RecordingResponder,
  switchDeps,
} from '../../support/fakes';
import { windowPorts } from '../../support/window-fakes';

const job = {
  command: { kind: 'on' as const, reason: 'Upgrade' },
  actor: 'slack:alice (U2147483697)',
  userId: 'U2147483697',
  responseUrl: 'https://hooks.slack.com/commands/1/2',
};

function makeDeps() {
  return switchDeps({
    bypass: new InMemoryBypassSets(),
    tokens: new InMemoryTokenRegistry(),
    clock: systemClock,
    responder: new RecordingResponder(),
  });
}

/** A Lambda context that leaves the job `workMs` before its final reply is due. */
const contextLeaving = (workMs: number) =>
  ({ getRemainingTimeInMillis: () => workMs + FINAL_REPLY_MS + ANSWER_MARGIN_MS }) as unknown as Context;

describe('the Slack worker', () => {
  it("runs the job and posts its announcement, then the caller's bypass link", async () => {
    const deps = makeDeps();
    await createHandler(deps)(job, contextLeaving(20_000));
    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['in_channel', 'ephemeral']);
  });

  it('runs a window job with the windows it was built with, and announces it', async () => {
    const deps = { ...makeDeps(), ...windowPorts() };
    const start = new Date(Date.now() + 86_400_000);
    const schedule = {
      kind: 'schedule' as const,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
    };
    await createHandler(deps)({ ...job, command: schedule }, contextLeaving(20_000));

    expect(deps.windows.windows.map((w) => w.state)).toEqual(['scheduled']);
    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['in_channel']);
    expect(deps.responder.posts[0]?.message.text).toMatch(/^:calendar: <@U2147483697> scheduled maintenance/);
  });

  it('stops at its deadline, says what became of the command, and posts nothing more afterwards', async () => {
    const deps = makeDeps();
    let release: (value: VersionedRuleGroup) => void = () => undefined;
    const read = deps.ruleGroup.get();
    deps.ruleGroup.get = () =>
      new Promise((resolve) => {
        release = resolve;
      });
    await createHandler(deps)(job, contextLeaving(100));
    expect(deps.responder.posts.map((p) => p.message.text)).toEqual([
      ':warning: The command did not finish in time. Nothing was changed.',
    ]);

    // AWS answers late: the job resumes, but may neither write nor post again.
    release(await read);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deps.ruleGroup.writes).toEqual([]);
    expect(deps.responder.posts).toHaveLength(1);
  });
});
