import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Api, devicesList, devicesRevoke, devicesRevokeOthers, type SessionDto } from '@sessions/api-client';
import { Subscription, filter, finalize, map, switchMap } from 'rxjs';
import { AuthSession } from '../../core/auth/auth-session';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm, type ConfirmDialogData } from '../../shared/confirm-dialog';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { loadErrorOf } from '../../shared/load-error';
import { LoadState } from '../../shared/load-state';
import { injectNow } from '../../shared/now';
import { PageHeader } from '../../shared/page-header';
import { deviceDetails, deviceIcon, placeOf } from './device-text';

/** Sessions per page of the device list. */
const PAGE_SIZE = 50;
/** Where the API puts the next page's cursor (absent on the last page). */
const NEXT_CURSOR_HEADER = 'Next-Cursor';

interface ShownSessions {
  sessions: SessionDto[];
  nextCursor: string | null;
}

/** "Where you're signed in": the caller's sessions, each one revocable, a page at a time. */
@Component({
  selector: 'app-devices-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatChipsModule,
    MatIconModule,
    MatTooltipModule,
    DateTimePipe,
    LoadState,
    PageHeader,
    RelativeTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './devices-page.html',
  styleUrl: './devices-page.scss',
})
export class DevicesPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(AuthSession);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly now = injectNow();
  /**
   * The first page of sessions and the cursor past it. "Show more devices" appends to this
   * value in place, and a signed-out device leaves it, so neither reloads the list.
   */
  protected readonly list = rxResource({
    stream: () =>
      this.api
        .invoke$Response(devicesList, { limit: PAGE_SIZE })
        .pipe(map((response): ShownSessions => ({ sessions: response.body, nextCursor: response.headers.get(NEXT_CURSOR_HEADER) }))),
  });
  protected readonly loadError = loadErrorOf(this.list);
  private readonly shown = computed(() => (this.list.hasValue() ? this.list.value() : null));
  protected readonly sessions = computed(() => this.shown()?.sessions ?? null);
  /** The `Next-Cursor` of the last page loaded; null when every session is shown. */
  protected readonly nextCursor = computed(() => this.shown()?.nextCursor ?? null);
  /** Ids being signed out, to disable their buttons. */
  protected readonly pending = signal<ReadonlySet<string>>(new Set());
  protected readonly revokingOthers = signal(false);
  protected readonly loadingMore = signal(false);
  private more: Subscription | null = null;
  protected readonly others = computed(() => (this.sessions() ?? []).filter((s) => !s.is_current));

  protected readonly icon = deviceIcon;
  protected readonly place = placeOf;
  protected readonly details = deviceDetails;

  /** The list from its first page again; a page still coming would land on the old list, so it is dropped. */
  protected reload(): void {
    this.more?.unsubscribe();
    this.list.reload();
  }

  /** The next page (the API pages by the live-session cap, so this is rare). */
  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.loadingMore.set(true);
    this.more = this.api
      .invoke$Response(devicesList, { limit: PAGE_SIZE, cursor })
      .pipe(
        finalize(() => this.loadingMore.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (response) =>
          this.list.update(
            (shown) =>
              shown && {
                sessions: [...shown.sessions, ...response.body.filter((s) => !shown.sessions.some((o) => o.id === s.id))],
                nextCursor: response.headers.get(NEXT_CURSOR_HEADER),
              },
          ),
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  protected signOutDevice(device: SessionDto): void {
    const data = device.is_current
      ? ({
          title: 'Sign out of this browser?',
          message: "You're using this device right now. You'll go back to the sign-in page.",
          confirmLabel: 'Sign out',
        } satisfies ConfirmDialogData)
      : ({
          title: `Sign out ${device.device_label}?`,
          message: 'That device will need to sign in again the next time it is used.',
          confirmLabel: 'Sign out device',
          destructive: true,
        } satisfies ConfirmDialogData);
    openConfirm(this.dialog, data)
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.setPending(device.id, true);
          return this.api.invoke(devicesRevoke, { id: device.id }).pipe(finalize(() => this.setPending(device.id, false)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          if (device.is_current) {
            void this.session.signOut();
            return;
          }
          this.list.update((shown) => shown && { ...shown, sessions: shown.sessions.filter((s) => s.id !== device.id) });
          this.notifier.info(`Signed out ${device.device_label}.`);
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  protected signOutOthers(): void {
    const count = this.others().length;
    openConfirm(this.dialog, {
      title: 'Sign out all other devices?',
      message: `${count === 1 ? 'One other device' : `${count} other devices`} will need to sign in again. This browser stays signed in.`,
      confirmLabel: 'Sign out others',
      destructive: true,
    } satisfies ConfirmDialogData)
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.revokingOthers.set(true);
          return this.api.invoke(devicesRevokeOthers).pipe(finalize(() => this.revokingOthers.set(false)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ revoked_count }) => {
          this.notifier.info(
            revoked_count === 0
              ? 'No other devices were signed in.'
              : `Signed out ${revoked_count} other ${revoked_count === 1 ? 'device' : 'devices'}.`,
          );
          this.reload();
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  private setPending(id: string, on: boolean): void {
    this.pending.update((ids) => {
      const next = new Set(ids);
      if (on) {
        next.add(id);
      } else {
        next.delete(id);
      }
      return next;
    });
  }
}
