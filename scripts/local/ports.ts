import { connect } from 'node:net';

/**
 * Whether something already listens on 127.0.0.1:`port`. Checked before starting a server there, so a
 * stack left running on the same port is never mistaken for the one being started.
 */
export function portInUse(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
