import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import type { DynamicModule, Provider } from '@nestjs/common';
import { withoutGlobalEnhancers } from './database.module';

const provided = (module: DynamicModule): unknown[] => [
  ...(module.providers ?? []).map((p: Provider) => (typeof p === 'object' && 'provide' in p ? p.provide : p)),
  ...(module.imports ?? []).flatMap((m) => (typeof m === 'object' && m !== null && 'module' in m ? provided(m as DynamicModule) : [])),
];

describe('withoutGlobalEnhancers', () => {
  it("drops nestjs-cls's no-op global guard and interceptor and keeps the rest", () => {
    const original = ClsModule.forRoot({ global: true });
    expect(provided(original)).toEqual(expect.arrayContaining([APP_GUARD, APP_INTERCEPTOR]));
    const stripped = withoutGlobalEnhancers(original);
    expect(provided(stripped)).not.toContain(APP_GUARD);
    expect(provided(stripped)).not.toContain(APP_INTERCEPTOR);
    expect(provided(stripped).length).toBe(provided(original).length - 2);
  });

  it('refuses a module that no longer has them (an upgrade moved them)', () => {
    expect(() => withoutGlobalEnhancers({ module: class Empty {} })).toThrow(/expected its 2 global enhancers, found 0/);
  });
});
