import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { locateReadingProblems } from './reading-problems';

describe('reading problems', () => {
  it('names a bad reading by its position in the whole upload, and an event-wide refusal by its event', () => {
    const problems = locateReadingProblems(
      [
        { index: 4, code: 'INVALID_EVENT_DATA', message: 'data.readings[417][1] must be a temperature in °C between -100 and 100.' },
        { index: 9, code: 'NOT_CUSTODIAN', message: 'sscc:… is in the custody of someone else.' },
      ],
      Array<number>(10).fill(1000),
    );
    assert.deepEqual(
      problems.map((p) => [p.reading, p.event, p.code]),
      [
        [4417, 4, 'INVALID_EVENT_DATA'],
        [null, 9, 'NOT_CUSTODIAN'],
      ],
    );
  });
});
