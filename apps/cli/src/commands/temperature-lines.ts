// How the CLI prints a cold-chain evaluation: figures as a person reads them — temperatures to 0.01 °C,
// minutes to 0.1 — while the exact values stay in the API and in `--json` output.
export interface EvaluationFigures {
  gtin: string;
  verdict: string;
  minutesOutOfRange: number;
  worstC: number | null;
  mktC: number | null;
}

const celsius = (c: number | null): string => (c === null ? '—' : `${c.toFixed(2)} °C`);

/** `  <gtin>: <verdict>, 12.3 min out of range, worst 9.10 °C, MKT 7.42 °C` */
export function evaluationLine(e: EvaluationFigures): string {
  return `  ${e.gtin}: ${e.verdict}, ${Number(e.minutesOutOfRange.toFixed(1))} min out of range, worst ${celsius(e.worstC)}, MKT ${celsius(e.mktC)}`;
}
