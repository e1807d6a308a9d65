import type { CfnValue } from './stack-definition';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** What `Ref X` and `Fn::GetAtt [X, Attribute]` resolve to, per logical id, once X has been provisioned. */
export type Attributes = Record<string, { Ref: string; [attribute: string]: string | undefined }>;

/** The template sections, besides what was provisioned, that intrinsics read. */
export interface TemplateContext {
  /** The stack's `Parameters`: a `Ref` to one resolves to its `Default` (the local stack passes no values). */
  parameters?: Record<string, { Default?: CfnValue }>;
  /** The stack's `Conditions`, evaluated on demand by `Fn::If` and `Condition`. */
  conditions?: Record<string, CfnValue>;
}

/** `Ref AWS::NoValue`: the enclosing property (or list item) is dropped, as CloudFormation does. */
const NO_VALUE = Symbol('AWS::NoValue');

const PSEUDO: Record<string, string> = {
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Resolves the CloudFormation intrinsics the stack's resources use against what has been created so far:
 * `Ref` (resources, Parameters, pseudo parameters, `AWS::NoValue`), `Fn::GetAtt`, `Fn::Sub` (with
 * `${Resource}`, `${Resource.Attribute}`, Parameters and pseudo parameters), `Fn::If` with the template's
 * Conditions, `Fn::Split`, `Fn::Join` and `Fn::Select`. CloudFormation spells ARN keys `Arn` where the WAF
 * API says `ARN`; that rename happens here too.
 *
 * A reference to a resource not provisioned (yet) throws, so a wrong creation order fails loudly. An
 * `Fn::Sub` placeholder that names nothing known is left as it is.
 *
 * @example
 * resolveIntrinsics({ 'Fn::Sub': 'https://${Cdn.DomainName}/' }, { Cdn: { Ref: 'E1', DomainName: 'd1.cloudfront.net' } })
 * // 'https://d1.cloudfront.net/'
 */
export function resolveIntrinsics(
  value: CfnValue,
  attributes: Attributes,
  context: TemplateContext = {},
): CfnValue {
  const resolved = resolve(value, attributes, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolve(value: CfnValue, attributes: Attributes, context: TemplateContext): CfnValue {
  const again = (v: CfnValue) => resolve(v, attributes, context);
  if (Array.isArray(value)) return value.map(again).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, CfnValue>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [key, arg] = first;
    switch (key) {
      case 'Ref':
        return ref(arg as string, attributes, context);
      case 'Fn::GetAtt': {
        const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
        return getAtt(id, attribute, attributes);
      }
      case 'Fn::Sub':
        return sub(arg, attributes, context);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, CfnValue, CfnValue];
        return again(evaluateCondition(condition, context) ? whenTrue : whenFalse);
      }
      case 'Fn::Split': {
        const [delimiter, source] = arg as [string, CfnValue];
        return String(again(source)).split(delimiter);
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, CfnValue];
        return (again(list) as CfnValue[]).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [CfnValue, CfnValue];
        return (again(list) as CfnValue[])[Number(again(index))];
      }
    }
  }
  return Object.fromEntries(
    entries
      .map(([key, v]) => [key === 'Arn' ? 'ARN' : key, again(v)] as const)
      .filter(([, v]) => v !== NO_VALUE),
  );
}

function ref(name: string, attributes: Attributes, context: TemplateContext): CfnValue {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = PSEUDO[name];
  if (pseudo !== undefined) return pseudo;
  const parameter = context.parameters?.[name];
  if (parameter) return resolve(parameter.Default ?? '', attributes, context);
  const resolved = attributes[name]?.Ref;
  if (resolved === undefined) throw new Error(`Cannot resolve Ref ${name} yet`);
  return resolved;
}

function getAtt(id: string, attribute: string, attributes: Attributes): string {
  const resolved = attributes[id]?.[attribute];
  if (resolved === undefined) throw new Error(`Cannot resolve Fn::GetAtt ${id}.${attribute} yet`);
  return resolved;
}

function sub(arg: CfnValue, attributes: Attributes, context: TemplateContext): string {
  const [template, variables] = (typeof arg === 'string' ? [arg, {}] : arg) as [
    string,
    Record<string, CfnValue>,
  ];
  return template.replace(/\$\{(!?)([\w:.]+)\}/g, (match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (name in variables) return String(resolve(variables[name], attributes, context));
    if (PSEUDO[name] !== undefined || context.parameters?.[name] || attributes[name]) {
      return String(ref(name, attributes, context));
    }
    const dot = name.indexOf('.');
    if (dot > 0) return getAtt(name.slice(0, dot), name.slice(dot + 1), attributes);
    return match;
  });
}

/**
 * Evaluates one of the template's Conditions (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`)
 * with the Parameters' defaults.
 *
 * @example
 * evaluateCondition('HasCertificate', { parameters: { CertificateArn: { Default: '' } }, conditions }) // false
 */
export function evaluateCondition(name: string, context: TemplateContext): boolean {
  const expression = context.conditions?.[name];
  if (expression === undefined) throw new Error(`Unknown condition ${name}`);
  return test(expression, context);
}

function test(expression: CfnValue, context: TemplateContext): boolean {
  const [[key, arg] = []] = Object.entries((expression ?? {}) as Record<string, CfnValue>);
  const args = arg as CfnValue[];
  switch (key) {
    case 'Fn::Equals': {
      const [a, b] = args.map((v) => resolveIntrinsics(v, {}, context));
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return !test(args[0], context);
    case 'Fn::And':
      return args.every((v) => test(v, context));
    case 'Fn::Or':
      return args.some((v) => test(v, context));
    case 'Condition':
      return evaluateCondition(arg as string, context);
  }
  throw new Error(`Unsupported condition ${JSON.stringify(expression)}`);
}
