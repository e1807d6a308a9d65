import { type CallId, type FaultProxy, type ProxiedCall, startFaultProxy } from '../test/support/fault-proxy';

/**
 * The tests' fault proxy in front of moto, adding the round trip moto does not have. moto answers in a few
 * milliseconds; AWS WAF's control plane takes on the order of 100 ms, DynamoDB about 10 ms, SSM and
 * Lambda's Invoke about 20 ms from a Lambda in the same region. Without that, "handler vs bare SDK" would
 * compare in-process overhead against nothing, and the ratio would say little about what an operator
 * waits for. Its call log is how the bench checks that one toggle or one Slack acknowledgement makes
 * exactly the AWS calls it should.
 */

export type { ProxiedCall };

/** Added latency per service: `x-amz-target`'s prefix for the JSON protocols, a name for REST ones. */
export const DEFAULT_DELAYS: Record<string, number> = {
  AWSWAF_20190729: 100,
  DynamoDB_20120810: 10,
  // A GetParameter with decryption: SSM plus a KMS decrypt behind it.
  AmazonSSM: 20,
  // An asynchronous Invoke only queues the event, but takes about 20 ms from inside the region.
  Lambda: 20,
};

export interface LatencyProxy extends FaultProxy {
  /** Calls since the last reset, counted per operation. */
  counts(): Record<string, number>;
}

/**
 * @example
 * const proxy = await startLatencyProxy(moto.url); process.env.AWS_ENDPOINT_URL = proxy.url; ...; await proxy.stop();
 */
export async function startLatencyProxy(upstreamUrl: string): Promise<LatencyProxy> {
  const proxy = await startFaultProxy(upstreamUrl, (call: CallId) => DEFAULT_DELAYS[call.service] ?? 0);
  return {
    ...proxy,
    counts: () => {
      const counts: Record<string, number> = {};
      for (const call of proxy.calls()) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
  };
}
