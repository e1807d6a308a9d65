/** The repository's root. */
export const ROOT: string;
/** The directory the CLI's bundle is built into. */
export const OUT_DIR: string;
/** The bundle's entry: the CLI, without the AWS SDK. */
export const MAIN: string;
/** `{ builtAt, inputs }`: when the build started and the repository files it read. */
export const MANIFEST: string;
/** Whether the bundle may run: built after its every input last changed. */
export function isFresh(root?: string, manifestPath?: string): boolean;
