import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  Api,
  memberSessionsList,
  memberSessionsRevokeAll,
  memberSessionsRevokeOne,
  type MemberDto,
  type SessionDto,
} from '@sessions/api-client';
import { filter, finalize, switchMap, type Observable } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm, type ConfirmDialogData } from '../../shared/confirm-dialog';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { LoadState } from '../../shared/load-state';
import { injectNow } from '../../shared/now';
import { deviceDetails, deviceIcon, placeOf } from '../devices/device-text';

export interface MemberSessionsDialogData {
  member: MemberDto;
}

/** Owner only: where one member is signed in, and signing them out (after a lost laptop). */
@Component({
  selector: 'app-member-sessions-dialog',
  imports: [MatButtonModule, MatDialogModule, MatIconModule, MatTooltipModule, DateTimePipe, LoadState, RelativeTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Where {{ data.member.name }} is signed in</h2>
    <mat-dialog-content>
      @if (sessions(); as sessions) {
        @if (sessions.length === 0) {
          <p class="empty">{{ data.member.name }} is not signed in anywhere.</p>
        } @else {
          <ul class="list" [attr.aria-label]="'Devices of ' + data.member.name">
            @for (device of sessions; track device.id) {
              <li class="device">
                <mat-icon [svgIcon]="icon(device.device_type)" aria-hidden="true" />
                <div class="text">
                  <span class="label">{{ device.device_label }}</span>
                  <span class="meta">
                    @if (place(device); as where) {
                      {{ where }} ·
                    }
                    <span [matTooltip]="device.last_used_at | dateTime">last active {{ device.last_used_at | relativeTime: now() }}</span>
                  </span>
                  <span class="meta">{{ details(device) }}</span>
                </div>
                <button matButton (click)="signOutOne(device)" [disabled]="busy()" [attr.aria-label]="'Sign out ' + device.device_label">
                  Sign out
                </button>
              </li>
            }
          </ul>
        }
      } @else {
        <app-load-state label="Loading their devices…" [error]="loadError()" (retry)="load()" />
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton mat-dialog-close>Close</button>
      <button matButton="filled" class="destructive" (click)="signOutAll()" [disabled]="busy() || (sessions()?.length ?? 0) === 0">
        Sign out of all devices
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .list {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .device {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) auto;
      align-items: center;
      gap: 12px;
      padding: 10px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .text {
      display: flex;
      flex-direction: column;
    }
    .label {
      font-weight: 500;
    }
    .meta {
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
      overflow-wrap: anywhere;
    }
    .empty {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class MemberSessionsDialog {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly data = inject<MemberSessionsDialogData>(MAT_DIALOG_DATA);
  protected readonly now = injectNow();
  protected readonly sessions = signal<SessionDto[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly icon = deviceIcon;
  protected readonly place = placeOf;
  protected readonly details = deviceDetails;

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .invoke(memberSessionsList, { id: this.data.member.id })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (sessions) => this.sessions.set(sessions),
        error: (error: unknown) => this.loadError.set(problemOf(error).detail),
      });
  }

  protected signOutOne(device: SessionDto): void {
    const name = this.data.member.name;
    this.confirmThen(
      {
        title: `Sign ${name} out of ${device.device_label}?`,
        message: `That device will need ${name}'s password to sign in again.`,
        confirmLabel: 'Sign out device',
        destructive: true,
      },
      () => this.api.invoke(memberSessionsRevokeOne, { id: this.data.member.id, sessionId: device.id }),
      () => {
        this.sessions.update((list) => (list ?? []).filter((s) => s.id !== device.id));
        this.notifier.info(`Signed ${name} out of ${device.device_label}.`);
      },
    );
  }

  protected signOutAll(): void {
    const name = this.data.member.name;
    const count = this.sessions()?.length ?? 0;
    this.confirmThen(
      {
        title: `Sign ${name} out everywhere?`,
        message: `${count === 1 ? 'Their one device' : `All ${count} of their devices`} will need ${name}'s password to sign in again.`,
        confirmLabel: 'Sign out everywhere',
        destructive: true,
      },
      () => this.api.invoke(memberSessionsRevokeAll, { id: this.data.member.id }),
      (result) => {
        const ended = result.revoked_count;
        this.sessions.set([]);
        this.notifier.info(`Signed ${name} out of ${ended} ${ended === 1 ? 'device' : 'devices'}.`);
      },
    );
  }

  private confirmThen<T>(data: ConfirmDialogData, call: () => Observable<T>, done: (result: T) => void): void {
    openConfirm(this.dialog, data)
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(true);
          return call().pipe(finalize(() => this.busy.set(false)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({ next: done, error: (error: unknown) => this.notifier.error(error) });
  }
}
