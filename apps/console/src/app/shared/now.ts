import { DestroyRef, inject, signal, type Signal } from '@angular/core';

/**
 * A signal with the current time that ticks every `periodMs`, for labels like
 * "last active 2 min ago". Call in an injection context; stops with it.
 */
export function injectNow(periodMs = 30_000): Signal<number> {
  const now = signal(Date.now());
  const timer = setInterval(() => now.set(Date.now()), periodMs);
  inject(DestroyRef).onDestroy(() => clearInterval(timer));
  return now.asReadonly();
}
