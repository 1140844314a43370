import { UsageError } from '../args';

export async function auditCommand(_argv: string[]): Promise<void> {
  throw new UsageError('audit is not available yet');
}
