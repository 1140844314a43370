// An upload of 10,000 readings is ten events; a refusal names the event by its index in the batch and the
// reading by its path inside the event (data.readings[k]). This turns that into the reading's position in
// the whole upload, which is what the logger's operator needs.

export interface BatchProblemLike {
  index: number;
  code: string;
  message: string;
}

export interface ReadingProblem {
  /** Position of the reading in the whole upload (all events' readings, in order); null when the event as a whole was refused. */
  reading: number | null;
  event: number;
  code: string;
  message: string;
}

const READING_PATH = /data\.readings\[(\d+)\]/;

/** `readingsPerEvent[i]` is the number of readings event i carried (0 when it is not a readings event). */
export function locateReadingProblems(problems: readonly BatchProblemLike[], readingsPerEvent: readonly number[]): ReadingProblem[] {
  const offsets: number[] = [];
  let total = 0;
  for (const n of readingsPerEvent) {
    offsets.push(total);
    total += n;
  }
  return problems.map((p) => {
    const match = READING_PATH.exec(p.message);
    const offset = offsets[p.index];
    const reading = match && offset !== undefined ? offset + Number(match[1]) : null;
    return { reading, event: p.index, code: p.code, message: p.message };
  });
}
