import { readStreamEntry } from '../../../src/adapters/aws/dynamodb-stream-entry';
import { anEntry, entryRecord } from '../../support/stream-records';

describe('readStreamEntry', () => {
  it('reads the entry an INSERT of an entry# item carries', () => {
    const entry = anEntry({ details: { added: ['192.0.2.1/32'], removed: [] }, action: 'bypass.update' });

    expect(readStreamEntry(entryRecord(entry))).toEqual(entry);
  });

  it('keeps details of any JSON shape an object holds', () => {
    const entry = anEntry({ action: 'maintenance.off', details: { reason: null, retryAfterSeconds: null } });

    expect(readStreamEntry(entryRecord(entry))?.details).toEqual({ reason: null, retryAfterSeconds: null });
  });

  it.each([
    ['a MODIFY', { record: { eventName: 'MODIFY' as const } }],
    ['a REMOVE', { record: { eventName: 'REMOVE' as const } }],
    ['another kind of item', { image: { pk: { S: 'change#c1' } } }],
    ['a key that is only the prefix', { image: { pk: { S: 'entry#' } } }],
    ['a key that is not a string', { image: { pk: { N: '1' } } }],
    ['details that are not JSON', { image: { details: { S: '{"reason":' } } }],
    ['details that are a JSON array', { image: { details: { S: '[]' } } }],
    ['details that are JSON null', { image: { details: { S: 'null' } } }],
    ['an unknown action', { image: { action: { S: 'maintenance.toggle' } } }],
    ['a time that is not one', { image: { at: { S: 'yesterday' } } }],
    ['an empty actor', { image: { actor: { S: '' } } }],
  ])('returns null for %s', (_label, options) => {
    expect(readStreamEntry(entryRecord(anEntry(), options))).toBeNull();
  });

  it.each([
    ['no image', { eventName: 'INSERT' }],
    ['no dynamodb part', { eventName: 'INSERT', dynamodb: {} }],
    ['an empty record', {}],
  ])('returns null for a record with %s', (_label, record) => {
    expect(readStreamEntry(record)).toBeNull();
  });

  it('returns null when an attribute is missing', () => {
    const record = entryRecord();
    delete record.dynamodb?.NewImage?.details;

    expect(readStreamEntry(record)).toBeNull();
  });
});
