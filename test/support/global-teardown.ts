import type { RunningMoto } from '../../scripts/local/moto';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __MOTO__?: RunningMoto }).__MOTO__?.stop();
}
