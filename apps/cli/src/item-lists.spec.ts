import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decimalFlag, countFlag, UsageError } from './args';
import { readUtf8File } from './csv-records';
import { formatList, listFlag, optionalListFlag, parseList } from './item-lists';

const usage = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof UsageError && pattern.test(e.message));

describe('item lists', () => {
  it('splits on commas and line breaks only, trimming each entry: a space stays inside its entry', () => {
    assert.deepEqual(parseList('ABC 1', '--serials', false), ['ABC 1']);
    assert.deepEqual(parseList(' a , b\tc ,d\ne\r\nf\rg', '--items', false), ['a', 'b\tc', 'd', 'e', 'f', 'g']);
  });

  it('drops empty entries only at the very end of the input', () => {
    assert.deepEqual(parseList('a,b,\n\n', '--items', false), ['a', 'b']);
    usage(() => parseList('a,,b', '--items', false), /^--items: entry 2 is empty/);
    usage(() => parseList(',a', '--items', false), /^--items: entry 1 is empty/);
    usage(() => parseList('a\n\nb\n', 'items.txt', true), /^items\.txt line 2: entry 2 is empty/);
    usage(() => parseList(' , \n', '--items', false), /--items lists nothing/);
  });

  it('reads quoted entries, so an entry may itself hold a comma', () => {
    assert.deepEqual(parseList('"sgtin:09506000134352.AB,C"\nsgtin:09506000134352.D"E\n"x""y"', 'f', true), ['sgtin:09506000134352.AB,C', 'sgtin:09506000134352.D"E', 'x"y']);
    usage(() => parseList('a\n"b\n', 'f', true), /^f line 2: a quoted cell is never closed/);
  });

  it('writes a list that reads back exactly, one entry a line', () => {
    const ids = ['sgtin:09506000134352.A1', 'sgtin:09506000134352.AB,C', 'sgtin:09506000134352.D"E', 'sgtin:09506000134352.F""'];
    const text = formatList(ids);
    assert.equal(text.split('\n').length, ids.length + 1);
    assert.equal(text.split('\n')[0], ids[0]);
    assert.deepEqual(parseList(text, 'packs.txt', true), ids);
  });

  it('takes --NAME or --NAME-file, exactly one of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'item-lists-'));
    try {
      const file = join(dir, 'items.txt');
      writeFileSync(file, 'a\nb\n');
      assert.deepEqual(listFlag({ 'items-file': file }, 'items'), ['a', 'b']);
      assert.deepEqual(listFlag({ items: 'a,b' }, 'items'), ['a', 'b']);
      usage(() => listFlag({ items: 'c', 'items-file': file }, 'items'), /give --items or --items-file, not both/);
      usage(() => listFlag({}, 'items'), /--items \(or --items-file\) is required/);
      assert.deepEqual(optionalListFlag({}, 'ingredient-lots'), []);
      assert.deepEqual(optionalListFlag({ 'ingredient-lots': 'ingredient-lot:s/1, ingredient-lot:s/2' }, 'ingredient-lots'), ['ingredient-lot:s/1', 'ingredient-lot:s/2']);

      const latin1 = join(dir, 'latin1.txt');
      writeFileSync(latin1, Buffer.from([0x61, 0xe9, 0x0a]));
      usage(() => readUtf8File(latin1), /latin1\.txt is not UTF-8 text/);
      writeFileSync(file, '\uFEFFa\n');
      assert.deepEqual(listFlag({ 'items-file': file }, 'items'), ['a']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads numeric flags as plain decimals, counts as whole numbers', () => {
    assert.equal(decimalFlag({ 'min-c': '-2.5' }, 'min-c'), -2.5);
    for (const bad of [' ', '7,5', '1e3', '0x10', 'Infinity', 'NaN', ' 7']) usage(() => decimalFlag({ 'min-c': bad }, 'min-c'), /--min-c must be a plain decimal number/);
    assert.equal(countFlag({ count: '500' }, 'count'), 500);
    for (const bad of ['0', '3.5', '1e3', ' 3', '-1', '03']) usage(() => countFlag({ count: bad }, 'count'), /--count must be a whole number of at least 1/);
  });
});
