import { computed, type Resource, type Signal } from '@angular/core';
import { problemOf } from '../core/api/problem';

/**
 * Why a page's resource could not load, as the API words it (the problem+json `detail`), or
 * null while it loads or has loaded: what `<app-load-state [error]>` shows.
 */
export function loadErrorOf(resource: Resource<unknown>): Signal<string | null> {
  return computed(() => {
    const error = resource.error();
    return error ? problemOf(error).detail : null;
  });
}
