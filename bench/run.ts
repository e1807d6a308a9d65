import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { emulatorEnv, type RunningMoto, startMoto } from '../scripts/local/moto';
import { type ProvisionedStack, provisionStack } from '../scripts/local/provision';
import { loadStackDefinition, type StackDefinition } from '../scripts/local/stack-definition';
import { DynamoDbTokenRegistry } from '../src/adapters/aws/dynamodb-token-registry';
import { systemClock } from '../src/ports/clock';
import { mintToken } from '../src/use-cases/mint-token';
import { handlerEnv } from '../test/support/stack';
import { type LoadTime, measureLoadTimes, type PackagedFunction, packageFunctions } from './bundle-size';
import { BYPASS_BATCH, type BypassBenchResult, runBypassBench } from './bypass';
import { type CliStartResult, runCliStartBench } from './cli-start';
import { EDGE_EFFECT_TARGET_MS, type EdgeEffectResult, runEdgeEffectBench } from './edge-effect';
import { type LatencyProxy, startLatencyProxy } from './latency-proxy';
import { runSlackBench, slackDetail, slackRows } from './slack';
import { runStallBench, STALL_MS, type StallFigure } from './stalls';
import type { Summary } from './stats';
import { type CallCounts, runToggleBench, type ToggleResult } from './toggle';
import { runWindowBench, WINDOW_TARGET_MS, type WindowBenchResult } from './windows';

/**
 * `npm run bench`: the switch's cost figures side by side, each beside its target. A measurement, not a
 * test: a missed target is reported and the exit code stays 0; only a bench that cannot run exits 1.
 *  1. zip size per function as `serverless package` builds it (Lambda download + unpack on cold start);
 *  2. module load time per bundle, net of bare `node` (cold-start init before the handler runs);
 *  3. a warm toggle through the real handler vs the bare GetRuleGroup + UpdateRuleGroup pair, with AWS-like
 *     latency added by a proxy in front of moto (what the switch adds on top of WAF itself);
 *  4. the AWS calls one toggle makes, by operation (each call is ~100 ms in WAF, ~10 ms in DynamoDB);
 *  5. the time to Slack's acknowledgement (p50 to p99) through POST /slack/command, warm in-process and cold
 *     in a fresh node per sample loading the packaged bundle, against Slack's 3 s (see slack.ts);
 *  6. what a stalled AWS call costs a toggle and a bypass batch: the time to answer while one call stalls
 *     for 35 s, and the time of a change with one 7 s stall (see stalls.ts);
 *  7. time to effect: from a toggle's answer until the local edge serves the 503, and the site again after
 *     "off" (see edge-effect.ts);
 *  8. the CLI's start-up, `node bin/maintenance.cjs status` against a bare `node -e 0` (see cli-start.ts);
 *  9. windows in real seconds: from a window's start and end until its change is made and seen, through the
 *     local scheduler runner (see windows.ts).
 * Everything it starts (moto, the proxies, a fake Lambda, child processes) is local (127.0.0.1) and is
 * stopped before it exits.
 */

const TARGETS = { zipKb: 150, loadMs: 60, ratio: 1.1, bypassBatchMs: 5_000, oneStallMs: 3_500 };
const STALL_ROUNDS = 3;
const RESULTS = join(__dirname, 'results', 'latest.json');
const N = 25;
const ROUNDS = 15;
const SLACK_WARM = 200;
const SLACK_COLD = 25;
const EDGE_TOGGLES = 25;
const CLI_RUNS = 7;
const WINDOWS = 8;

interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const spread = (s: Summary) => `median ${fmt(s.median)}, p90 ${fmt(s.p90)}`;
const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op}=${n}`)
    .join(' ');

function table(rows: Row[]): string {
  const header = ['figure', 'value', 'target', 'met'];
  const cells = rows.map((r) => [
    r.figure,
    r.value,
    r.target,
    r.met === null ? '-' : r.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function renamed(definition: StackDefinition, stage: string): StackDefinition {
  const from = `${definition.service}-${definition.stage}`;
  const copy = JSON.parse(JSON.stringify(definition).replaceAll(from, `${definition.service}-${stage}`));
  return { ...copy, stage };
}

/**
 * Expected per change: one GetRuleGroup, one UpdateRuleGroup, when turning on the two bypass sets read for
 * `caller` (alongside the group's read), and never a web ACL write nor an IP set write; per no-op: no write.
 */
function changeOk(counts: Record<string, number>, ipSetReads: number): boolean {
  return (
    counts.GetRuleGroup === 1 &&
    counts.UpdateRuleGroup === 1 &&
    (counts.GetIPSet ?? 0) === ipSetReads &&
    !counts.UpdateWebACL &&
    !counts.UpdateIPSet
  );
}

function bypassRows(result: BypassBenchResult): Row[] {
  const row = (figure: string, summary: Summary, target: boolean) => ({
    figure,
    value: spread(summary),
    target: target ? `< ${TARGETS.bypassBatchMs} ms` : '',
    met: target ? summary.median < TARGETS.bypassBatchMs : null,
  });
  return [
    row(`bypass add ${result.size} (moto)`, result.add, true),
    row(`bypass remove ${result.size} (moto)`, result.remove, true),
    row(`bypass list ${result.size} (moto)`, result.list, false),
    row(`  of which parsing ${result.size}`, result.parse, false),
  ];
}

function stallRows(figures: StallFigure[], lambdaTimeoutMs: number): Row[] {
  const answerBy = lambdaTimeoutMs - 1_000;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return figures.flatMap((f) => [
    {
      figure: `${f.change}: every ${f.call} stalled ${STALL_MS / 1000} s`,
      value: `${f.stalledStatus} after ${s(f.stalledMs)}`,
      target: `answered < ${s(answerBy)}`,
      met: f.stalledMs < answerBy,
    },
    {
      figure: `${f.change}: one 7 s ${f.call} stall`,
      value: `${f.oneStallStatus} after ${s(f.oneStallMs)} (unstalled ${s(f.unstalledMs)})`,
      target: `< ${s(TARGETS.oneStallMs)}`,
      met: f.oneStallStatus === '200' && f.oneStallMs < TARGETS.oneStallMs,
    },
  ]);
}

function windowRows(result: WindowBenchResult): Row[] {
  const row = (figure: string, summary: Summary) => ({
    figure,
    value: spread(summary),
    target: `<= ${WINDOW_TARGET_MS} ms`,
    met: summary.median <= WINDOW_TARGET_MS && summary.p90 <= WINDOW_TARGET_MS,
  });
  return [
    row(`window start -> its change made (local scheduler, n ${result.n})`, result.startChange),
    row(`window start -> seen in the rule group (n ${result.n})`, result.startSeen),
    row(`window end -> its change made (n ${result.n})`, result.endChange),
    row(`window end -> seen in the rule group (n ${result.n})`, result.endSeen),
  ];
}

function edgeRows(result: EdgeEffectResult): Row[] {
  const row = (figure: string, summary: Summary) => ({
    figure,
    value: spread(summary),
    target: `<= ${EDGE_EFFECT_TARGET_MS} ms`,
    met: summary.median <= EDGE_EFFECT_TARGET_MS && summary.p90 <= EDGE_EFFECT_TARGET_MS,
  });
  return [
    row(`on: answer -> edge serves 503 (n ${result.n})`, result.on),
    row(`off: answer -> edge serves the site (n ${result.n})`, result.off),
  ];
}

function cliRows(result: CliStartResult): Row[] {
  return [
    {
      figure: `cli: bin status / node -e 0 (median of ${result.runs})`,
      value: `${result.statusRatio.toFixed(2)} (${fmt(result.status.median)} vs ${fmt(result.bare.median)})`,
      target: `<= ${result.target}`,
      met: result.met,
    },
    {
      figure: 'cli: bin --help / node -e 0',
      value: `${result.helpRatio.toFixed(2)} (${fmt(result.help.median)})`,
      target: '',
      met: null,
    },
  ];
}

function rowsFor(
  bundles: PackagedFunction[],
  load: LoadTime[],
  timing: ToggleResult,
  counts: CallCounts,
): Row[] {
  const rows: Row[] = [];
  for (const b of bundles) {
    const kb = b.zipBytes / 1024;
    rows.push({
      figure: `zip ${b.name}`,
      value: `${kb.toFixed(1)} KB`,
      target: `<= ${TARGETS.zipKb} KB`,
      met: kb <= TARGETS.zipKb,
    });
  }
  for (const l of load) {
    rows.push({
      figure: `module load ${l.name} (net)`,
      value: fmt(l.netMedianMs),
      target: `<= ${TARGETS.loadMs} ms`,
      met: l.netMedianMs <= TARGETS.loadMs,
    });
  }
  rows.push(
    { figure: 'toggle via handler', value: spread(timing.handler.wall), target: '', met: null },
    { figure: 'toggle via bare SDK pair', value: spread(timing.bare.wall), target: '', met: null },
    {
      figure: 'median handler / bare',
      value: timing.ratio.toFixed(2),
      target: `<= ${TARGETS.ratio}`,
      met: timing.ratio <= TARGETS.ratio,
    },
    {
      figure: 'calls: enable (change)',
      value: countsText(counts.enable),
      target: '1 GetRuleGroup, 1 UpdateRuleGroup, 2 GetIPSet',
      met: changeOk(counts.enable, 2),
    },
    {
      figure: 'calls: disable (change)',
      value: countsText(counts.disable),
      target: '1 GetRuleGroup, 1 UpdateRuleGroup, no GetIPSet',
      met: changeOk(counts.disable, 0),
    },
    {
      figure: 'calls: no-op (on twice)',
      value: countsText(counts.noop),
      target: 'no UpdateRuleGroup, no PutItem',
      met: !counts.noop.UpdateRuleGroup && !counts.noop.UpdateWebACL && !counts.noop.PutItem,
    },
    {
      figure: 'calls: unknown token (401)',
      value: countsText(counts.refused),
      target: 'no WAF call',
      met: !Object.keys(counts.refused).some((op) => /RuleGroup|WebACL|IPSet/.test(op)),
    },
  );
  return rows;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'waf-maintenance-bench-'));
  let motoStarting: Promise<RunningMoto> | undefined;
  let proxy: LatencyProxy | undefined;
  const aborted = new AbortController();
  const cleanup = async () => {
    aborted.abort();
    await proxy?.stop();
    const moto = await motoStarting?.catch(() => undefined);
    await moto?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const started = Date.now();
    console.log(`waf-maintenance bench: node ${process.version}, ${cpus().length} CPUs\n`);

    // The framework commands and moto's start-up overlap; nothing is being timed yet.
    console.log('packaging (serverless package --stage bench), resolving the stack, starting moto ...');
    // allSettled, so a failure of one still lets cleanup find (and stop) moto once it is up.
    motoStarting = startMoto({ maxLifetimeSeconds: 900 });
    const settled = await Promise.allSettled([
      packageFunctions(join(work, 'package'), aborted.signal),
      loadStackDefinition('bench'),
      motoStarting,
    ]);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const [bundles, definition, moto] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      PackagedFunction[],
      StackDefinition,
      RunningMoto,
    ];

    console.log(`timing module load: ${ROUNDS} rounds of node -e 0 and each bundle, interleaved ...`);
    const load = await measureLoadTimes(bundles, join(work, 'unzipped'), ROUNDS);

    console.log(`cli: ${CLI_RUNS} runs each of node -e 0, the bin's --help and status, interleaved ...`);
    const cli = await runCliStartBench(CLI_RUNS);

    // Provisioning and minting go straight to moto; only the measured clients go through the proxy.
    Object.assign(process.env, emulatorEnv(moto.url), {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const direct = { region: 'us-east-1', endpoint: moto.url };
    const waf = new WAFV2Client(direct);
    const dynamodb = new DynamoDBClient(direct);
    const handlerStack: ProvisionedStack = await provisionStack(definition, { waf, dynamodb });
    const bareStack = await provisionStack(renamed(definition, 'benchsdk'), { waf, dynamodb });
    const bypassStack = await provisionStack(renamed(definition, 'benchbypass'), { waf, dynamodb });
    const edgeStack = await provisionStack(renamed(definition, 'benchedge'), { waf, dynamodb });
    const windowStack = await provisionStack(renamed(definition, 'benchwindows'), { waf, dynamodb });
    const { token: adminToken } = await mintToken(
      { tokens: new DynamoDbTokenRegistry(dynamodb, bypassStack.tableName), clock: systemClock },
      { name: 'bench-admin', role: 'admin' },
    );
    const { token } = await mintToken(
      { tokens: new DynamoDbTokenRegistry(dynamodb, handlerStack.tableName), clock: systemClock },
      { name: 'bench-operator', role: 'operator' },
    );
    const { token: edgeToken } = await mintToken(
      { tokens: new DynamoDbTokenRegistry(dynamodb, edgeStack.tableName), clock: systemClock },
      { name: 'bench-edge-operator', role: 'operator' },
    );
    waf.destroy();
    dynamodb.destroy();

    proxy = await startLatencyProxy(moto.url);
    process.env.AWS_ENDPOINT_URL = proxy.url;
    console.log(
      `toggling: ${N} handler calls and ${N} bare SDK pairs, interleaved, via the latency proxy ...\n`,
    );
    const { timing, counts } = await runToggleBench({ proxy, handlerStack, bareStack, token, n: N });

    // Straight to moto: this measures our work on a 10,000-address batch, not WAF's latency.
    process.env.AWS_ENDPOINT_URL = moto.url;
    console.log(
      `bypass: ${BYPASS_BATCH} addresses added, listed and removed in one request each, 3 rounds, against moto ...\n`,
    );
    const bypass = await runBypassBench({
      env: handlerEnv(bypassStack),
      adminToken,
    });

    console.log(
      `time to effect: ${EDGE_TOGGLES} toggles each way through the handler, the local edge polled from each answer on, against moto ...\n`,
    );
    const edgeEffect = await runEdgeEffectBench({
      stack: edgeStack,
      token: edgeToken,
      emulatorUrl: moto.url,
      n: EDGE_TOGGLES,
    });

    console.log(
      `windows: ${WINDOWS} windows of 2 s, each 2 s ahead, through the local scheduler runner, against moto ...\n`,
    );
    const windows = await runWindowBench({ stack: windowStack, emulatorUrl: moto.url, n: WINDOWS });

    console.log(
      `slack: ${SLACK_WARM} warm acknowledgements in-process, then ${SLACK_COLD} cold ones in a fresh node each, via the latency proxies ...\n`,
    );
    const slackBundle = bundles.find((b) => b.name === 'slackCommand');
    if (!slackBundle) throw new Error('serverless package produced no slackCommand function');
    const slack = await runSlackBench({
      motoUrl: moto.url,
      proxy,
      packageDir: join(work, 'package'),
      bundleFile: join(work, 'unzipped', slackBundle.name, slackBundle.modulePath),
      warm: SLACK_WARM,
      cold: SLACK_COLD,
      signal: aborted.signal,
    });

    // Straight to moto again: the fault proxy in front of it adds only the stalls.
    process.env.AWS_ENDPOINT_URL = moto.url;
    const lambdaTimeoutMs = (definition.functionTimeouts.setMaintenance ?? 0) * 1000;
    console.log(
      `stalls: each AWS call of a toggle and a bypass batch held for ${STALL_MS / 1000} s, then once for 7 s, ${STALL_ROUNDS} rounds, side by side ...\n`,
    );
    const stallClients = { waf: new WAFV2Client(direct), dynamodb: new DynamoDBClient(direct) };
    const stalls = await runStallBench({
      motoUrl: moto.url,
      lambdaTimeoutMs,
      rounds: STALL_ROUNDS,
      stack: (i) => provisionStack(renamed(definition, `benchstall${i}`), stallClients),
    });
    stallClients.waf.destroy();
    stallClients.dynamodb.destroy();

    const rows = [
      ...rowsFor(bundles, load.functions, timing, counts),
      ...bypassRows(bypass),
      ...slackRows(slack),
      ...stallRows(stalls, lambdaTimeoutMs),
      ...edgeRows(edgeEffect),
      ...windowRows(windows),
      ...cliRows(cli),
    ];
    console.log(table(rows));
    console.log('\ndetail');
    console.log(`  bare node -e 0: ${spread(load.bareNode)}`);
    for (const l of load.functions) console.log(`  node -e require(${l.name}): ${spread(l.bundle)}`);
    console.log(
      `  handler toggle: in AWS (proxy) ${spread(timing.handler.inAws)}; outside AWS ${spread(timing.handler.outsideAws)}`,
    );
    console.log(
      `  bare toggle:    in AWS (proxy) ${spread(timing.bare.inAws)}; outside AWS ${spread(timing.bare.outsideAws)}`,
    );
    console.log(
      `  per call (median, delay included): ${Object.entries(timing.perOperationMs)
        .map(([op, ms]) => `${op} ${fmt(ms)}`)
        .join(', ')}`,
    );
    console.log(`  added latency: WAF 100 ms, DynamoDB 10 ms per call; moto at ${moto.url}`);
    for (const line of slackDetail(slack)) console.log(line);
    console.log(
      `  one request through the local edge (the time to effect's resolution): ${spread(edgeEffect.edgeRequest)}`,
    );
    console.log(
      `  cli: node -e 0 ${spread(cli.bare)}; bin --help ${spread(cli.help)}; bin status ${spread(cli.status)}`,
    );
    console.log(`  cli: the bin's freshness check ${cli.freshnessCheckMs.toFixed(3)} ms`);

    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          targets: TARGETS,
          bundles: bundles.map((b) => ({ name: b.name, zipBytes: b.zipBytes, zipKb: b.zipBytes / 1024 })),
          loadTimes: { rounds: ROUNDS, bareNode: load.bareNode, functions: load.functions },
          toggle: timing,
          calls: counts,
          bypass,
          slack,
          stalls,
          edgeEffect,
          windows,
          cli,
          rows,
          durationMs: Date.now() - started,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nwritten to ${RESULTS} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
