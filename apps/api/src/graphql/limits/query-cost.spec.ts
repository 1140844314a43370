import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { pagedCostEstimator, UNPAGED_LIST_ESTIMATE } from './query-cost';

const schema = buildSchema(`
  type Reading { celsius: Float! }
  type TemperatureHistory { readingCount: Int! readings: [Reading!]! }
  type Key { kid: String! }
  type Participant { id: String! keys: [Key!]! }
  type Query {
    blocks(first: Int! = 50): [Participant!]!
    participants(first: Int! = 50): [Participant!]!
    assetHeads(assetIds: [String!]!): [Participant!]!
    temperatureHistory(first: Int! = 1000): TemperatureHistory!
    containerContents: [String!]!
    me: Participant!
  }
`);

const cost = (query: string, variables: Record<string, unknown> = {}) => getComplexity({ schema, query: parse(query), variables, estimators: [pagedCostEstimator] });

describe('query cost: each object costs 1, times the page sizes above it', () => {
  it('a single object with scalars costs 1', () => assert.equal(cost('{ me { id } }'), 1));
  it('a page costs its size, from a literal or a variable', () => {
    assert.equal(cost('{ blocks(first: 100) { id } }'), 100);
    assert.equal(cost('query($f: Int!) { blocks(first: $f) { id } }', { f: 300 }), 300);
    assert.equal(cost('{ blocks { id } }'), 50, 'the default page size counts');
  });
  it('a list argument counts its length', () => assert.equal(cost('{ assetHeads(assetIds: ["a", "b", "c"]) { id } }'), 3));
  it('nested lists multiply: participants × their keys (estimated at 10)', () => assert.equal(cost('{ participants(first: 20) { id keys { kid } } }'), 20 * (1 + 10)));
  it('aliases add up', () => assert.equal(cost('{ a: blocks(first: 10) { id } b: blocks(first: 10) { id } }'), 20));
  it('readings are paged by their parent: counted at the page cap, once', () => assert.equal(cost('{ temperatureHistory(first: 10) { readingCount readings { celsius } } }'), 1 + 1000));
  it('a list of ids costs its (estimated) length', () => assert.equal(cost('{ containerContents }'), UNPAGED_LIST_ESTIMATE));
});
