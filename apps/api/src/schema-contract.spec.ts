// The committed schema file is the API contract: this fails when the resolvers drift from it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateSchema, SCHEMA_FILE } from '../../../scripts/check-graphql-schema';

describe('GraphQL API contract', () => {
  it('the resolvers generate exactly the committed apps/api/schema.graphql', async () => {
    assert.equal(await generateSchema(), readFileSync(SCHEMA_FILE, 'utf8'), 'run `npm run schema:write` and commit the API change');
  });
});
