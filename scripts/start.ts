/**
 * `npm start`: the local stack of the contract. Steps:
 * 1. Use the emulator at AWS_ENDPOINT_URL, or start moto server on 127.0.0.1:MOTO_PORT (4566).
 * 2. Provision the stage's resources from the resolved serverless.yml (scripts/local/provision.ts),
 *    the maintenance site's bucket (with the page uploaded) and the distribution included.
 * 3. Mint fresh `local-admin` and `local-operator` tokens.
 * 4. Serve the local edge on 127.0.0.1:EDGE_PORT (8080), standing in for the distribution, in front of
 *    ORIGIN_URL or a sample site started here (scripts/local/edge/).
 * 5. Serve the HTTP API with serverless-offline on 127.0.0.1:PORT (3000), run the local stand-ins for the
 *    table stream's event source mapping and for EventBridge Scheduler, print URLs, tokens and examples.
 * 6. On SIGINT, SIGTERM or SIGHUP, or when its parent process goes, stop all it started and exit 0. If moto
 *    server or serverless-offline exits meanwhile, say so in one line on stderr, stop the rest and exit 1.
 *
 * package.json runs it as `exec node --import tsx scripts/start.ts`: `exec` because Debian's dash does not
 * exec the last command of `sh -c` itself, and dies of the SIGTERM that npm forwards without passing it on;
 * no `tsx` CLI because it is one more process that relays signals, and SIGKILLs this one when it does
 * not acknowledge a relayed signal within 30 ms. So npm's signal reaches this process.
 * Every process it starts is tied to it (spawnTied in local/tied-process.ts): even a SIGKILL here stops them.
 */
import { readyBanner } from './local/banner';
import { startEdgeServer } from './local/edge/edge-server';
import { startSampleSite } from './local/edge/sample-site';
import { useEmulator } from './local/emulator';
import { emulatorEnv, freePort } from './local/moto';
import { OfflineServer } from './local/offline';
import { resolveStartOptions, type StartOptions, UsageError } from './local/options';
import { portInUse } from './local/ports';
import { type ProvisionedStack, provisionStack, resolveParams } from './local/provision';
import { startSchedulerRunner, timerParams } from './local/scheduler-runner';
import { SITE_PREFIX } from './local/site';
import { seedSlackSecret, seedSlackWebhook } from './local/slack';
import { loadStackDefinition } from './local/stack-definition';
import { startStreamRunner } from './local/stream-runner';
import { ChildExitedError, Interrupted, interruption, Teardown } from './local/teardown';
import { mintLocalTokens } from './local/tokens';

const READY_TIMEOUT_MS = 60_000;

/** Variables for this process and the handlers: the emulator, and no SDK nagging about Node 20 locally. */
function localEnv(emulatorUrl: string): Record<string, string> {
  return {
    ...emulatorEnv(emulatorUrl),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true',
  };
}

/** Both ports are checked first: a server would fail late, and a stack already there must not pass for ours. */
async function checkPortsFree(options: StartOptions): Promise<void> {
  for (const [port, name] of [
    [options.httpPort, 'PORT'],
    [options.edgePort, 'EDGE_PORT'],
  ] as const) {
    if (await portInUse(port)) throw new Error(`Port ${port} is already in use. Set ${name} to a free port.`);
  }
}

/**
 * The local edge in front of ORIGIN_URL, or of a sample site started here; both stop with the teardown.
 * Undefined in a stage without a distribution (attach mode), which has no edge of its own.
 */
async function startEdge(
  options: StartOptions,
  stack: ProvisionedStack,
  emulatorUrl: string,
  teardown: Teardown,
) {
  if (!stack.distributionId) return undefined;
  const origin = options.originUrl
    ? { url: options.originUrl, sample: false }
    : { url: (await teardown.start(startSampleSite(), (s) => s.close())).url, sample: true };
  console.log(`Starting the local edge on port ${options.edgePort} (origin ${origin.url})...`);
  const edge = await teardown.start(
    startEdgeServer({
      port: options.edgePort,
      distributionId: stack.distributionId,
      originUrl: origin.url,
      emulatorUrl,
      log: (line) => console.error(`edge | ${line}`),
    }),
    (e) => e.close(),
  );
  return { url: edge.url, origin };
}

/** Starts the stack and holds it until a signal (Interrupted) or a process of it exits (ChildExitedError). */
async function run(options: StartOptions, teardown: Teardown): Promise<never> {
  await checkPortsFree(options);
  const emulator = await teardown.start(useEmulator(options), (e) => e.stop());
  teardown.watch(emulator.name, emulator.exited);
  console.log(`Emulator: ${emulator.url}${emulator.startedHere ? ' (moto server, started here)' : ''}`);
  const env = localEnv(emulator.url);
  Object.assign(process.env, env);

  console.log(`Provisioning stage ${options.stage} from serverless.yml...`);
  const definition = await teardown.step(loadStackDefinition(options.stage));
  const stack = await teardown.step(provisionStack(definition));
  const tokens = await teardown.step(mintLocalTokens(stack.tableName));

  const slack = await teardown.step(seedSlackSecret(definition, process.env));
  const webhook = await teardown.step(seedSlackWebhook(definition, process.env));
  const edge = await startEdge(options, stack, emulator.url, teardown);
  const lambdaPort = await freePort();

  const timers = timerParams(definition, process.env);
  console.log(`Starting the HTTP API (serverless-offline) on port ${options.httpPort}...`);
  const offline = new OfflineServer({
    stage: options.stage,
    httpPort: options.httpPort,
    lambdaPort,
    // The worker answers the local fake Slack on 127.0.0.1, which the deployed stack would refuse.
    // The distribution's *.cloudfront.net name does not resolve here: GET /maintenance checks the page
    // through the local edge that stands in for it.
    // moto has no ListDistributionsByWebACLId: the doctor finds the ACL's distributions by listing them all.
    params: {
      // The timers invoke `scheduled` by the ARN the deployed stack writes; REMINDER_INTERVAL_SECONDS, when
      // set, shortens the reminder's interval (tests).
      ...resolveParams(definition, stack, timers),
      slackResponseUrlPrefix: 'http://127.0.0.1:',
      // SLACK_WEBHOOK_URL may be a local listener, which the deployed stack would refuse.
      slackWebhookUrlPrefix: 'http://127.0.0.1:',
      distributionLookup: 'scan',
      ...(edge && stack.siteBucket ? { sitePageUrl: `${edge.url}/${SITE_PREFIX}index.html` } : {}),
      // The site as visitors reach it here, for the bypass link's full URL.
      ...(edge ? { siteUrl: edge.url } : {}),
    },
    // The Slack acknowledgement invokes its worker through serverless-offline's Lambda endpoint.
    env: { ...env, AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${lambdaPort}` },
  });
  teardown.add(() => offline.stop());
  try {
    await teardown.step(offline.waitUntilReady(READY_TIMEOUT_MS));
  } catch (error) {
    if (!(error instanceof Interrupted)) console.error(`serverless-offline said:\n${offline.log}`);
    throw error;
  }

  // moto keeps the table's stream but nothing reads it: this runner is the event source mapping.
  for (const [name, events] of Object.entries(definition.functionStreams)) {
    for (const event of events) {
      const runner = await teardown.step(
        startStreamRunner({
          emulatorUrl: emulator.url,
          tableName: stack.tableName,
          functionName: `${definition.service}-${options.stage}-${name}`,
          lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
          filterPatterns: event.filterPatterns ?? [],
          batchSize: event.batchSize ?? 100,
          log: (line) => console.error(`stream | ${line}`),
        }),
      );
      teardown.add(() => runner.stop());
    }
  }

  // moto stores the timers' schedules but never fires them: this runner is EventBridge Scheduler.
  if (stack.scheduleGroup) {
    const scheduler = startSchedulerRunner({
      emulatorUrl: emulator.url,
      group: stack.scheduleGroup,
      lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
      log: (line) => console.error(`scheduler | ${line}`),
      expected: { functionArn: timers.scheduledFunctionArn ?? '', roleArn: timers.schedulerRoleArn ?? '' },
    });
    teardown.add(() => scheduler.stop());
  }

  console.log(
    readyBanner({
      stage: options.stage,
      apiUrl: offline.url,
      emulatorUrl: emulator.url,
      emulatorStartedHere: emulator.startedHere,
      ruleGroupArn: stack.ruleGroupArn,
      webAclArn: stack.webAclArn,
      distributionId: stack.distributionId,
      edgeUrl: edge?.url,
      origin: edge?.origin ?? { url: '', sample: false },
      tokens,
      slack,
      webhookUrl: webhook,
      scheduleGroup: stack.scheduleGroup || undefined,
    }),
  );
  teardown.watch(`serverless-offline at ${offline.url}`, offline.exited);
  return teardown.hold();
}

/** Says why the stack stops; the exit code: 0 when asked to stop, 1 when it failed or a process of it died. */
function report(error: unknown): number {
  if (error instanceof Interrupted) {
    console.log(`\n${error.reason}: stopping the local stack...`);
    return 0;
  }
  if (error instanceof ChildExitedError) {
    console.error(`${error.message}: stopping the local stack.`);
    return 1;
  }
  console.error(`npm start failed: ${(error as Error).message}`);
  return 1;
}

async function main(): Promise<number> {
  let options: StartOptions;
  try {
    options = resolveStartOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(
      `${error.message}\nUsage: npm start [-- --stage NAME]   (env: PORT, EDGE_PORT, ORIGIN_URL, MOTO_PORT, AWS_ENDPOINT_URL)`,
    );
    return 2;
  }
  const teardown = new Teardown(interruption());
  const code = await run(options, teardown).catch(report);
  await teardown.run();
  if (code === 0) console.log('Stopped.');
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
