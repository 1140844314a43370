// The committed GraphQL schema (apps/api/schema.graphql) is the API contract. This regenerates it
// from the code-first resolvers and fails when they differ; `--write` updates the file.
import 'reflect-metadata';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { GRAPHQL_RESOLVERS } from '../apps/api/src/api.module';

export const SCHEMA_FILE = join(__dirname, '..', 'apps', 'api', 'schema.graphql');
const HEADER = '# PharmaTrace GraphQL API — generated from the resolvers; the API contract. Do not edit by hand:\n# run `npm run schema:write` and commit the result.\n\n';

export async function generateSchema(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
    return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  generateSchema().then(
    (generated) => {
      if (process.argv.includes('--write')) {
        writeFileSync(SCHEMA_FILE, generated);
        console.log(`wrote ${SCHEMA_FILE}`);
        return;
      }
      const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
      if (committed !== generated) {
        console.error(`${SCHEMA_FILE} is out of date with the resolvers: run \`npm run schema:write\`, review the API change and commit it.`);
        process.exit(1);
      }
      console.log('GraphQL schema matches the committed contract.');
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
