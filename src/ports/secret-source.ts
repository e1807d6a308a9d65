/** A secret the core needs (the Slack signing secret), wherever it is kept. */
export interface SecretSource {
  /** Throws MisconfiguredError when the secret is not there. */
  get(): Promise<string>;
}
