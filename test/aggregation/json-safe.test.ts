import { jsonSafeCopy } from '../../src/aggregation/json-safe';

describe('jsonSafeCopy', () => {
  it('keeps what JSON keeps and repairs what JSON chokes on', () => {
    const shared = { n: 1 };
    const input = { s: 'x', b: true, n: 2, inf: -Infinity, big: 2n ** 70n, date: new Date(0), bad: new Date(Number.NaN), sym: Symbol('s'), u: undefined, arr: [shared, shared], deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } };
    const out = jsonSafeCopy(input) as Record<string, unknown>;
    expect(out).toEqual({
      s: 'x', b: true, n: 2, inf: null, big: (2n ** 70n).toString(), date: '1970-01-01T00:00:00.000Z', bad: null,
      arr: [{ n: 1 }, { n: 1 }], // a shared object is not a cycle
      deep: { a: { b: { c: { d: { e: { f: { g: '[Truncated]' } } } } } } },
    });
    expect((out.arr as unknown[])[0]).not.toBe(shared);
  });

  it('survives cycles, throwing getters, proxies and __proto__ keys', () => {
    const a: Record<string, unknown> = {};
    a.a = a;
    const getter = Object.defineProperty({ ok: 1 }, 'boom', { enumerable: true, get: () => { throw new Error('x'); } });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "fine": 1}') as object;
    expect(jsonSafeCopy(a)).toEqual({ a: '[Circular]' });
    expect(jsonSafeCopy(getter)).toEqual({ ok: 1 });
    expect(jsonSafeCopy(proxy)).toBe('[Unreadable]');
    const copied = jsonSafeCopy(proto) as Record<string, unknown>;
    expect(copied).toEqual({ fine: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
