import { UsageError } from '../args';

export async function exportCommand(_argv: string[]): Promise<void> {
  throw new UsageError('export is not available yet');
}
