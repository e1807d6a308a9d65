'use strict';
/**
 * Serverless plugin: once `serverless deploy` has updated the stack, puts maintenance-site/ into the
 * stack's site bucket (output `SiteBucketName`) under `maintenance/`, where the distribution's
 * `/maintenance/*` behaviour reads it. It only hooks `after:deploy:deploy`, so `serverless package`,
 * `print` and `offline` never run it. It runs even when the stack had no changes: the page may have.
 * In attach mode the stack has no site bucket, and there is nothing to upload.
 *
 * The upload itself is scripts/local/site.ts, the same code `npm start` uses against the emulator.
 */
const { createRequire } = require('node:module');
const { resolve } = require('node:path');

const SITE_BUCKET_OUTPUT = 'SiteBucketName';

/** scripts/local/site.ts through tsx, hooked only while it loads so the framework's process stays as it was. */
function loadSite() {
  const unregister = require('tsx/cjs/api').register();
  try {
    return require(resolve(__dirname, '..', 'scripts', 'local', 'site.ts'));
  } finally {
    unregister();
  }
}

/**
 * osls 4 removed `provider.request()` (the SDK v2 surface); its own SDK v3 CloudFormation client comes
 * from `provider.getCloudFormationClient()`, and the command is taken from the package that client
 * comes from (a dependency of osls).
 */
function describeStacksCommand(input) {
  const fromOsls = createRequire(require.resolve('serverless/package.json'));
  const { DescribeStacksCommand } = fromOsls('@aws-sdk/client-cloudformation');
  return new DescribeStacksCommand(input);
}

class UploadMaintenanceSite {
  constructor(serverless, _options, utils = {}) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.log = utils.log ?? ((message) => console.log(message));
    this.hooks = { 'after:deploy:deploy': () => this.upload() };
  }

  /** The deployed stack's outputs, by key. */
  async stackOutputs() {
    const StackName = this.provider.naming.getStackName();
    const cloudFormation = await this.provider.getCloudFormationClient();
    const out = await cloudFormation.send(describeStacksCommand({ StackName }));
    const outputs = out.Stacks?.[0]?.Outputs ?? [];
    return Object.fromEntries(outputs.map((o) => [o.OutputKey, o.OutputValue]));
  }

  async upload() {
    const bucket = (await this.stackOutputs())[SITE_BUCKET_OUTPUT];
    if (!bucket) {
      // Attach mode: the team's own distribution serves no /maintenance/ path, and the page is inline.
      this.log(`No ${SITE_BUCKET_OUTPUT} output (attach mode): no maintenance site to upload.`);
      return [];
    }
    const { S3Client } = require('@aws-sdk/client-s3');
    // The framework's own region and credentials (profile, role, MFA), as for its other calls.
    const s3 = new S3Client(await this.provider.getAwsSdkV3Config());
    const { uploadMaintenanceSite } = loadSite();
    const uploaded = await uploadMaintenanceSite(s3, bucket);
    this.log(`Uploaded the maintenance site to s3://${bucket}/ (${uploaded.length} files)`);
    return uploaded;
  }
}

module.exports = UploadMaintenanceSite;
