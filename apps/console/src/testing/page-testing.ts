import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import type { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideApiConfiguration } from '@sessions/api-client';
import { provideAppIcons } from '../app/core/ui/icons';

/** What every page spec needs: calls answered by `HttpTestingController`, the generated client, the icons. */
export function pageTestProviders(): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(), provideHttpClientTesting(), provideApiConfiguration(''), provideAppIcons()];
}

/**
 * Lets answers reach the page's resources, then renders. Not `fixture.whenStable()`: a resource
 * that is loading is a pending task, and the specs look at pages while a call is still open.
 */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  TestBed.tick();
}

export function textOf(fixture: ComponentFixture<unknown>): string {
  return (fixture.nativeElement as HTMLElement).textContent ?? '';
}

/** The first button whose text contains `name`. */
export function buttonNamed(fixture: ComponentFixture<unknown>, name: string): HTMLButtonElement | undefined {
  return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('button')).find((b) => b.textContent?.includes(name));
}

/** Answers a call with an `application/problem+json` refusal, as the API does. */
export function refuse(request: TestRequest, status: number, code: string, detail: string): void {
  request.flush({ code, detail }, { status, statusText: 'Refused', headers: { 'content-type': 'application/problem+json' } });
}
