// The RFC 6962 Merkle vectors kept in this repository (test/vectors/merkle, from transparency-dev/merkle),
// loaded the same way by the core's and the SDK's known-answer specs. PHARMATRACE_VECTORS may name the
// vectors root (containing merkle/) or the merkle folder itself.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface InclusionCase {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

export interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

export interface ReferenceTree {
  leafInputsHex: string[];
  rootHashesHexBySize: string[];
}

export function vectorsDir(): string {
  const override = process.env.PHARMATRACE_VECTORS;
  if (override) return existsSync(join(override, 'merkle')) ? join(override, 'merkle') : override;
  return resolve(__dirname, 'merkle');
}

export function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

export const loadVector = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
