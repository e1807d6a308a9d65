import { MotoMissingError, motoInstalled, startMoto } from './moto';
import { portInUse } from './ports';
import type { ChildExit } from './tied-process';

export interface Emulator {
  url: string;
  /** What it is, for messages: `moto server at http://127.0.0.1:4566`. */
  name: string;
  /** True when moto server was started here (and so is stopped here). */
  startedHere: boolean;
  /** Settles when an emulator started here exits; never for one at AWS_ENDPOINT_URL, which is not ours to watch. */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

/**
 * The emulator the local stack talks to: the one at `AWS_ENDPOINT_URL` when given, else a moto server
 * started on 127.0.0.1:`motoPort`, which `stop()` ends.
 *
 * @example
 * const emulator = await useEmulator({ endpointUrl: process.env.AWS_ENDPOINT_URL, motoPort: 4566 });
 */
export async function useEmulator(options: {
  endpointUrl: string | undefined;
  motoPort: number;
}): Promise<Emulator> {
  if (options.endpointUrl) {
    return {
      url: options.endpointUrl,
      name: `the emulator at ${options.endpointUrl}`,
      startedHere: false,
      exited: new Promise(() => {}),
      stop: async () => {},
    };
  }
  if (!motoInstalled()) throw new MotoMissingError();
  if (await portInUse(options.motoPort)) {
    throw new Error(
      `Port ${options.motoPort} is already in use. Set MOTO_PORT to a free port, or AWS_ENDPOINT_URL to use an emulator that is already running.`,
    );
  }
  const moto = await startMoto({ port: options.motoPort });
  return {
    url: moto.url,
    name: `moto server at ${moto.url}`,
    startedHere: true,
    exited: moto.exited,
    stop: () => moto.stop(),
  };
}
