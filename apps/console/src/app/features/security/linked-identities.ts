import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { Api, identitiesList, identitiesUnlink, type IdentityDto } from '@sessions/api-client';
import { filter, finalize, switchMap } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm } from '../../shared/confirm-dialog';
import { DateTimePipe } from '../../shared/format.pipes';
import { LoadState } from '../../shared/load-state';

/**
 * The caller's identities at sign-in providers (linked by their first sign-in with each),
 * with "Unlink". The API refuses to unlink the last one of a member whose account requires
 * external sign-in (409 `last_sign_in_method`): that refusal stays on the card, in its words.
 */
@Component({
  selector: 'app-linked-identities',
  imports: [DateTimePipe, LoadState, MatButtonModule, MatCardModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Your sign-in identities</h2></mat-card-title>
        <mat-card-subtitle>Providers you have signed in with. Signing in with a provider links it.</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        @if (refusal(); as refusal) {
          <p class="refusal" role="alert">{{ refusal }}</p>
        }
        @if (identities(); as identities) {
          @if (identities.length) {
            <ul class="list" aria-label="Linked identities">
              @for (identity of identities; track identity.id) {
                <li class="item">
                  <div class="who">
                    <span class="provider">{{ identity.display_name }}</span>
                    <span class="email">{{ identity.email }}</span>
                    <span class="when">Linked {{ identity.linked_at | dateTime }} · last used {{ identity.last_used_at | dateTime }}</span>
                  </div>
                  <button
                    matButton="outlined"
                    (click)="unlink(identity)"
                    [disabled]="busy() === identity.id"
                    [attr.aria-label]="'Unlink ' + identity.display_name + ' (' + identity.email + ')'"
                  >
                    Unlink
                  </button>
                </li>
              }
            </ul>
          } @else {
            <p class="empty">No identities are linked. You sign in with your password.</p>
          }
        } @else {
          <app-load-state label="Loading your identities…" [error]="loadError()" (retry)="load()" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    .list {
      list-style: none;
      margin: 8px 0 0;
      padding: 0;
    }
    .item {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      padding: 12px 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .who {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .provider {
      font: var(--mat-sys-title-small);
    }
    .email,
    .when {
      color: var(--mat-sys-on-surface-variant);
      overflow-wrap: anywhere;
    }
    .refusal {
      margin: 8px 0;
      padding: 12px 16px;
      border-radius: 8px;
      color: var(--mat-sys-on-error-container);
      background: var(--mat-sys-error-container);
    }
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class LinkedIdentities {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly identities = signal<IdentityDto[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  /** The API's refusal of the last unlink, shown until the next attempt. */
  protected readonly refusal = signal<string | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .invoke(identitiesList)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (identities) => this.identities.set(identities),
        error: (error: unknown) => this.loadError.set(problemOf(error).detail),
      });
  }

  protected unlink(identity: IdentityDto): void {
    this.refusal.set(null);
    openConfirm(this.dialog, {
      title: `Unlink ${identity.display_name}?`,
      message: `You will no longer sign in here as ${identity.email} with ${identity.display_name} until you link it again by signing in with it. Your sessions stay signed in.`,
      confirmLabel: 'Unlink',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(identity.id);
          return this.api.invoke(identitiesUnlink, { id: identity.id }).pipe(finalize(() => this.busy.set(null)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.identities.update((list) => (list ?? []).filter((item) => item.id !== identity.id));
          this.notifier.info(`${identity.display_name} is no longer linked.`);
        },
        error: (error: unknown) => {
          const problem = problemOf(error);
          if (problem.code === 'last_sign_in_method') {
            this.refusal.set(`${identity.display_name} can't be unlinked: ${problem.detail}`);
          } else {
            this.refusal.set(problem.detail);
            if (problem.status === 404) this.load();
          }
        },
      });
  }
}
