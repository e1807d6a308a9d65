import { emulatorEnv, startMoto } from '../../scripts/local/moto';

/**
 * Starts one moto server for the integration project, on a free port of 127.0.0.1. Workers inherit the
 * environment set here, so every SDK client in the tests talks to it. Each test file provisions its own
 * uniquely named resources, so files do not see each other's state.
 */
export default async function globalSetup(): Promise<void> {
  const moto = await startMoto({ maxLifetimeSeconds: 3600 });
  Object.assign(process.env, emulatorEnv(moto.url), {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  (globalThis as { __MOTO__?: typeof moto }).__MOTO__ = moto;
}
