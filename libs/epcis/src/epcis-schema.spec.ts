// The official EPCIS 2.0 JSON Schema accepts GS1's own examples and refuses broken documents with readable paths.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EPCIS_SCHEMA_PATH, validateEpcisDocument } from './epcis-schema';

const VECTORS = join(__dirname, '..', '..', '..', 'test', 'vectors', 'epcis');
const EXAMPLES = join(VECTORS, 'examples');

function load(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const singleEvent = (): Record<string, unknown> => load(join(VECTORS, 'event-hash', 'epcisDocWithSingleEvent.jsonld'));

describe('EPCIS 2.0 JSON Schema validation', () => {
  it('uses an unchanged copy of the schema in test/vectors', () => {
    assert.equal(readFileSync(EPCIS_SCHEMA_PATH, 'utf8'), readFileSync(join(VECTORS, 'schema', 'EPCIS-JSON-Schema.json'), 'utf8'));
  });

  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld') || f.endsWith('.json')).sort();
  it('has the GS1 examples', () => assert.ok(examples.length >= 10));
  for (const file of examples) {
    it(`accepts ${file}`, () => {
      assert.deepEqual(validateEpcisDocument(load(join(EXAMPLES, file))), { ok: true });
    });
  }

  it('refuses a document without type, naming the missing property', () => {
    const doc = singleEvent();
    delete doc.type;
    const result = validateEpcisDocument(doc);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.errors.some((e) => e.path === '' && e.message.includes("'type'")), JSON.stringify(result.errors));
  });

  it('refuses an event with a malformed eventTime, pointing at it', () => {
    const doc = singleEvent();
    const event = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0];
    event.eventTime = '31/12/2024 10:00';
    const result = validateEpcisDocument(doc);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.errors.some((e) => e.path === '/epcisBody/eventList/0/eventTime'), JSON.stringify(result.errors));
    assert.ok(result.errors.every((e) => e.message.length > 0));
  });

  it('refuses an event without eventTime and a non-object', () => {
    const doc = singleEvent();
    delete (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0].eventTime;
    const result = validateEpcisDocument(doc);
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(result.errors.some((e) => e.message.includes('eventTime')), JSON.stringify(result.errors));
    assert.equal(validateEpcisDocument('not a document').ok, false);
  });

  it('accepts the reference hash vector documents too', () => {
    assert.deepEqual(validateEpcisDocument(singleEvent()), { ok: true });
  });
});
