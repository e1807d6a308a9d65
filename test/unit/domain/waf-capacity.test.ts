import { rulesCapacity, statementCapacity } from '../../../src/domain/waf-capacity';

const bytes = (text: string) => new TextEncoder().encode(text);
const byteMatch = (PositionalConstraint: string, transformations: string[] = ['NONE']) => ({
  ByteMatchStatement: {
    FieldToMatch: { UriPath: {} },
    PositionalConstraint,
    SearchString: bytes('/x'),
    TextTransformations: transformations.map((Type, Priority) => ({ Priority, Type })),
  },
});

describe('WAF capacity arithmetic', () => {
  it.each([
    ['an IP set reference', { IPSetReferenceStatement: { ARN: 'a' } }, 1],
    ['a label match', { LabelMatchStatement: { Scope: 'LABEL', Key: 'k' } }, 1],
    ['an exact string match', byteMatch('EXACTLY'), 2],
    ['a starts-with match', byteMatch('STARTS_WITH'), 2],
    ['an ends-with match', byteMatch('ENDS_WITH'), 2],
    ['a contains match', byteMatch('CONTAINS'), 10],
    ['a contains-word match', byteMatch('CONTAINS_WORD'), 10],
    ['a starts-with match, lower-cased', byteMatch('STARTS_WITH', ['LOWERCASE']), 12],
    ['a contains match with two transformations', byteMatch('CONTAINS', ['LOWERCASE', 'URL_DECODE']), 30],
  ])('costs %s at %i WCUs', (_what, statement, wcu) => {
    expect(statementCapacity(statement as never)).toBe(wcu);
  });

  it('adds up what AND, OR and NOT hold', () => {
    const statement = {
      AndStatement: {
        Statements: [
          { NotStatement: { Statement: { IPSetReferenceStatement: { ARN: 'a' } } } },
          { OrStatement: { Statements: [byteMatch('EXACTLY'), byteMatch('CONTAINS')] } },
        ],
      },
    };
    expect(statementCapacity(statement as never)).toBe(13);
    expect(
      rulesCapacity([{ Statement: statement } as never, { Statement: byteMatch('EXACTLY') } as never]),
    ).toBe(15);
  });

  it('refuses a statement type whose cost it does not know, rather than guess', () => {
    expect(() => statementCapacity({ GeoMatchStatement: { CountryCodes: ['KP'] } })).toThrow(RangeError);
  });
});
