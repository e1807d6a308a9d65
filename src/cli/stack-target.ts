/** Which stage's table the AWS-direct commands (`token`, `slack`) work on, and in which region. */
export interface StackTarget {
  stage: string;
  tableName: string;
  region: string;
}

/**
 * Resolves the stage (`--stage`, else MAINTENANCE_STAGE, else `dev`) and its table
 * (`waf-maintenance-<stage>`, unless MAINTENANCE_TABLE_NAME names one). Region: us-east-1, where the
 * switch's stack always lives, whatever AWS_REGION a shell exports for other work; MAINTENANCE_REGION
 * overrides it for a stack deployed elsewhere on purpose.
 *
 * @example
 * resolveStackTarget('prod', {}) // { stage: 'prod', tableName: 'waf-maintenance-prod', region: 'us-east-1' }
 */
export function resolveStackTarget(
  stageFlag: string | undefined,
  env: Record<string, string | undefined>,
): StackTarget {
  const stage = stageFlag ?? (env.MAINTENANCE_STAGE || 'dev');
  return {
    stage,
    tableName: env.MAINTENANCE_TABLE_NAME || `waf-maintenance-${stage}`,
    region: env.MAINTENANCE_REGION || 'us-east-1',
  };
}

/**
 * How a confirmation names the target: the stage, or the table when MAINTENANCE_TABLE_NAME overrode the
 * stage's own, so the message never claims a stage it did not touch.
 *
 * @example
 * describeTarget({ stage: 'prod', tableName: 'waf-maintenance-prod', region: 'us-east-1' }) // 'stage prod'
 */
export function describeTarget(target: StackTarget): string {
  return target.tableName === `waf-maintenance-${target.stage}`
    ? `stage ${target.stage}`
    : `table ${target.tableName}`;
}
