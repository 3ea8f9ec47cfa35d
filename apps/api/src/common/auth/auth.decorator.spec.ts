import { Auth, RequiresRecentAuth } from './auth.decorator';

/** The 403 of a route marked by both decorators documents both codes, whichever is written first. */
describe('@Auth + @RequiresRecentAuth OpenAPI 403', () => {
  const forbiddenOf = (method: object) =>
    (Reflect.getMetadata('swagger/apiResponse', method) as Record<string, { description: string }>)['403'].description;

  class Routes {
    @Auth({ roles: ['owner'] })
    @RequiresRecentAuth()
    authFirst(): void {
      return;
    }

    @RequiresRecentAuth()
    @Auth({ roles: ['owner'] })
    recentFirst(): void {
      return;
    }

    @Auth()
    @RequiresRecentAuth()
    anyRole(): void {
      return;
    }
  }

  it.each(['authFirst', 'recentFirst'] as const)('%s: forbidden and reauthentication_required', (name) => {
    const description = forbiddenOf(Routes.prototype[name]);
    expect(description).toContain('`forbidden`');
    expect(description).toContain('`reauthentication_required`');
  });

  it('documents only the step-up 403 when every role may call', () => {
    const description = forbiddenOf(Routes.prototype.anyRole);
    expect(description).toContain('`reauthentication_required`');
    expect(description).not.toContain('`forbidden`');
  });
});
