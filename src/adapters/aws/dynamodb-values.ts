import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// Hand-written marshalling for the few attribute shapes we store; @aws-sdk/lib-dynamodb would add
// bundle weight for no gain here.

export function nullableString(value: string | null): AttributeValue {
  return value === null ? { NULL: true } : { S: value };
}

export function nullableNumber(value: number | null): AttributeValue {
  return value === null ? { NULL: true } : { N: String(value) };
}

export function readNullableString(value: AttributeValue | undefined): string | null {
  return value?.S ?? null;
}

export function readNullableNumber(value: AttributeValue | undefined): number | null {
  return value?.N === undefined ? null : Number(value.N);
}
