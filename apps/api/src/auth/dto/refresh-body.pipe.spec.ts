import fc from 'fast-check';
import { AppValidationPipe } from '../../common/validation';
import { RefreshDto } from './auth.dto';
import { RefreshBodyPipe } from './refresh-body.pipe';

/** What a pipe makes of a body: the value it returns, or the problem it throws. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: JSON.parse(JSON.stringify(await run())) as unknown };
  } catch (error) {
    const problem = error as { getStatus?: () => number; getResponse?: () => unknown };
    return { status: problem.getStatus?.(), problem: problem.getResponse?.() ?? String(error) };
  }
}

describe('RefreshBodyPipe (issue 11)', () => {
  const fast = new RefreshBodyPipe();
  const global = new AppValidationPipe();
  /** Before: the global pipe with RefreshDto. After: the global pipe without a class, then RefreshBodyPipe. */
  const before = (body: unknown) => outcome(() => global.transform(body, { type: 'body', metatype: RefreshDto }));
  const after = (body: unknown) => outcome(async () => fast.transform(await global.transform(body, { type: 'body', metatype: Object })));

  const token = (length: number, unit = 'a') => unit.repeat(length);
  const bodies: unknown[] = [
    undefined,
    null,
    {},
    { refresh_token: 'a.b.c' },
    { refresh_token: token(4096) },
    { refresh_token: token(4097) },
    { refresh_token: token(2049, '😀') }, // 4,098 UTF-16 units, 2,049 characters
    { refresh_token: token(2048, '😀') + 'a' },
    { refresh_token: 42 },
    { refresh_token: null },
    { refresh_token: ['a'] },
    { refresh_token: 'a', extra: 1 },
    { extra: 1 },
    { refresh_token: 'a\u0000b' },
    { refresh_token: '\ud800' },
    JSON.parse('{"__proto__": {"refresh_token": "x"}}'),
    JSON.parse('{"constructor": "x"}'),
    [],
    ['a'],
    'a string',
    7,
    true,
  ];

  it.each(bodies.map((body) => [body]))('answers %p exactly as RefreshDto through the global pipe did', async (body) => {
    expect(await after(body)).toEqual(await before(body));
  });

  it('answers any JSON body exactly as before (property)', async () => {
    const shaped = fc.record({ refresh_token: fc.oneof(fc.string({ maxLength: 5000 }), fc.jsonValue()) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped, fc.dictionary(fc.string(), fc.jsonValue())), async (body) => {
        expect(await after(body)).toEqual(await before(body));
      }),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 300) },
    );
  });
});
