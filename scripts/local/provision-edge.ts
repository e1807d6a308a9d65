import {
  type CloudFrontClient,
  CreateDistributionCommand,
  CreateOriginAccessControlCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  type OriginAccessControlConfig,
} from '@aws-sdk/client-cloudfront';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { toDistributionConfig } from './cloudfront-config';
import { ACCOUNT, REGION } from './intrinsics';

type Props = Record<string, unknown>;

async function bucketExists(s3: S3Client, Bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
}

/**
 * Creates the bucket unless it exists, then applies its public access block, ownership controls and
 * default encryption (each an idempotent put, so a restart converges on the template).
 */
export async function ensureBucket(s3: S3Client, props: Props) {
  const Bucket = props.BucketName as string;
  if (!(await bucketExists(s3, Bucket))) {
    await s3.send(new CreateBucketCommand({ Bucket })).catch((error) => {
      if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
    });
  }
  if (props.PublicAccessBlockConfiguration) {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: props.PublicAccessBlockConfiguration as never,
      }),
    );
  }
  if (props.OwnershipControls) {
    await s3.send(
      new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: props.OwnershipControls as never }),
    );
  }
  const encryption = props.BucketEncryption as { ServerSideEncryptionConfiguration?: Props[] } | undefined;
  if (encryption) {
    // CloudFormation's ServerSideEncryptionByDefault is the API's ApplyServerSideEncryptionByDefault.
    const Rules = (encryption.ServerSideEncryptionConfiguration ?? []).map(
      ({ ServerSideEncryptionByDefault, ...rule }) => ({
        ...rule,
        ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault,
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: { Rules: Rules as never },
      }),
    );
  }
  return {
    Ref: Bucket,
    Arn: `arn:aws:s3:::${Bucket}`,
    DomainName: `${Bucket}.s3.amazonaws.com`,
    RegionalDomainName: `${Bucket}.s3.${REGION}.amazonaws.com`,
  };
}

export async function ensureBucketPolicy(s3: S3Client, props: Props) {
  const Bucket = props.Bucket as string;
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(props.PolicyDocument) }));
  return { Ref: Bucket };
}

/** By name, as CloudFront requires OAC names to be unique in the account. */
export async function ensureOriginAccessControl(cloudfront: CloudFrontClient, props: Props) {
  const config = props.OriginAccessControlConfig as OriginAccessControlConfig;
  const existing = await cloudfront.send(new ListOriginAccessControlsCommand({}));
  const found = existing.OriginAccessControlList?.Items?.find((o) => o.Name === config.Name);
  const Id =
    found?.Id ??
    (await cloudfront.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: config })))
      .OriginAccessControl?.Id;
  if (!Id) throw new Error(`CreateOriginAccessControl returned no Id for ${config.Name}`);
  return { Ref: Id, Id };
}

/**
 * The distribution whose CallerReference is `callerReference`, created from the template's config unless
 * it exists. CallerReference is CloudFront's own idempotency token (`<service>-<stage>-<logical id>`, so
 * every stage has its own); ListDistributions does not show it, so it is read from the config of each
 * distribution with the same Comment.
 */
export async function ensureDistribution(
  cloudfront: CloudFrontClient,
  props: Props,
  callerReference: string,
) {
  const config = toDistributionConfig(props.DistributionConfig as Props, callerReference);
  let found: { Id?: string; DomainName?: string } | undefined;
  let Marker: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand({ Marker }));
    for (const summary of page.DistributionList?.Items ?? []) {
      // moto's summaries carry no Comment; AWS's do, and save a call per unrelated distribution.
      if (found || (summary.Comment !== undefined && summary.Comment !== config.Comment)) continue;
      const out = await cloudfront.send(new GetDistributionConfigCommand({ Id: summary.Id }));
      if (out.DistributionConfig?.CallerReference === callerReference) found = summary;
    }
    Marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (Marker && !found);
  if (!found) {
    found = (await cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config })))
      .Distribution;
  }
  const { Id, DomainName } = found ?? {};
  if (!Id || !DomainName) throw new Error(`CreateDistribution returned no Id for ${callerReference}`);
  // Built here: moto's own ARN for a distribution leaves out the empty region field.
  return { Ref: Id, Id, DomainName, Arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/${Id}` };
}
