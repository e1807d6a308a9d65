import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

// The plugin is plain CommonJS, loaded by the framework the same way.
const UploadMaintenanceSite = require('../../../plugins/upload-maintenance-site.cjs');

const s3Mock = mockClient(S3Client);

interface FakeCommand {
  constructor: { name: string };
  input: unknown;
}

/** The bits of osls' `serverless` object the plugin uses, with the stack's outputs as given. */
function fakeServerless(outputs: Record<string, string>) {
  const sent: FakeCommand[] = [];
  const provider = {
    naming: { getStackName: () => 'waf-maintenance-prod' },
    getCloudFormationClient: async () => ({
      send: async (command: FakeCommand) => {
        sent.push(command);
        return {
          Stacks: [
            {
              Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
                OutputKey,
                OutputValue,
              })),
            },
          ],
        };
      },
    }),
    getAwsSdkV3Config: async () => ({
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
  };
  const serverless = { getProvider: (name: string) => (name === 'aws' ? provider : undefined) };
  return { serverless, sent };
}

describe('the upload-maintenance-site plugin', () => {
  beforeEach(() => s3Mock.reset());

  it('hooks only after deploy:deploy, so serverless package never uploads', () => {
    const plugin = new UploadMaintenanceSite(fakeServerless({}).serverless, {}, { log: () => {} });

    expect(Object.keys(plugin.hooks)).toEqual(['after:deploy:deploy']);
  });

  it('uploads the site into the bucket named by the SiteBucketName output', async () => {
    const { serverless, sent } = fakeServerless({ SiteBucketName: 'site-bucket-prod', WebAclArn: 'arn:x' });
    const logged: string[] = [];
    const plugin = new UploadMaintenanceSite(serverless, {}, { log: (m: string) => logged.push(m) });

    await plugin.hooks['after:deploy:deploy']();

    expect(sent.map((c) => [c.constructor.name, c.input])).toEqual([
      ['DescribeStacksCommand', { StackName: 'waf-maintenance-prod' }],
    ]);
    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(new Set(puts.map((p) => p.Bucket))).toEqual(new Set(['site-bucket-prod']));
    const types = Object.fromEntries(puts.map((p) => [p.Key, p.ContentType]));
    expect(types).toMatchObject({
      'maintenance/index.html': 'text/html; charset=utf-8',
      'maintenance/style.css': 'text/css; charset=utf-8',
      'maintenance/app.js': 'text/javascript; charset=utf-8',
    });
    expect(types).not.toHaveProperty('maintenance/shell.html');
    expect(logged.join('\n')).toContain('s3://site-bucket-prod/');
  });

  it('uploads nothing, and says why, in attach mode, where the stack has no SiteBucketName output', async () => {
    const logged: string[] = [];
    const plugin = new UploadMaintenanceSite(
      fakeServerless({ RuleGroupArn: 'arn:x' }).serverless,
      {},
      {
        log: (line: string) => logged.push(line),
      },
    );

    await expect(plugin.hooks['after:deploy:deploy']()).resolves.toEqual([]);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(logged.join('\n')).toContain('attach mode');
  });
});
