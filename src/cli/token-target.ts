/** Which table the token commands work on, and where. */
export interface TokenTarget {
  stage: string;
  tableName: string;
  region: string;
}

/**
 * Resolves the stage (`--stage`, else MAINTENANCE_STAGE, else `dev`) and its table
 * (`waf-maintenance-<stage>`, unless MAINTENANCE_TABLE_NAME names one). Region: AWS_REGION, else us-east-1,
 * where the switch's stack lives.
 *
 * @example
 * resolveTokenTarget('prod', {}) // { stage: 'prod', tableName: 'waf-maintenance-prod', region: 'us-east-1' }
 */
export function resolveTokenTarget(
  stageFlag: string | undefined,
  env: Record<string, string | undefined>,
): TokenTarget {
  const stage = stageFlag ?? (env.MAINTENANCE_STAGE || 'dev');
  return {
    stage,
    tableName: env.MAINTENANCE_TABLE_NAME || `waf-maintenance-${stage}`,
    region: env.AWS_REGION || 'us-east-1',
  };
}
