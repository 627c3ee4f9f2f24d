import { describe, expect, it } from '@jest/globals';
import { firstDuplicateKey } from './json-body.js';

describe('finding a key used twice in one object', () => {
  it('finds none when every object uses its keys once, however often a key recurs elsewhere', () => {
    expect(firstDuplicateKey('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\\"a\\":1"}')).toBeNull();
    expect(firstDuplicateKey('[1,"x",null]')).toBeNull();
  });

  it('names the first key found twice, with its path through objects and arrays', () => {
    expect(firstDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', path: 'a' });
    expect(firstDuplicateKey('{"items":[{"x":1},{"x":1,"y":2,"x":3}],"z":1,"z":2}')).toEqual({
      key: 'x',
      path: 'items[1].x',
    });
  });

  it('compares keys as JSON.parse decodes them', () => {
    expect(firstDuplicateKey('{"\\u0061":1,"a":2}')).toEqual({ key: 'a', path: 'a' });
    expect(firstDuplicateKey('{"a\\/b":1,"a/b":2}')).toEqual({ key: 'a/b', path: 'a/b' });
  });
});
