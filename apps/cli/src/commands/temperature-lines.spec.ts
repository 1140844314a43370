import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluationLine } from './temperature-lines';

describe('temperature lines', () => {
  it('rounds the mean kinetic temperature and the worst reading to 0.01 °C, minutes to 0.1', () => {
    assert.equal(
      evaluationLine({ gtin: '09506000134352', verdict: 'excursion', minutesOutOfRange: 12.345678, worstC: 9.1, mktC: 7.420400837633792 }),
      '  09506000134352: excursion, 12.3 min out of range, worst 9.10 °C, MKT 7.42 °C',
    );
  });

  it('says — where there is no figure (no readings in the window)', () => {
    assert.equal(evaluationLine({ gtin: '09506000134352', verdict: 'no_readings', minutesOutOfRange: 0, worstC: null, mktC: null }), '  09506000134352: no_readings, 0 min out of range, worst —, MKT —');
  });
});
