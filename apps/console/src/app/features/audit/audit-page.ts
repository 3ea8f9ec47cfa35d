import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Api, auditEventsList, type AuditAction, type AuditEventDto, type AuditEventsList$Params } from '@sessions/api-client';
import { Subscription, finalize } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { LoadState } from '../../shared/load-state';
import { injectNow } from '../../shared/now';
import { PageHeader } from '../../shared/page-header';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, auditSummary } from './audit-text';

const PAGE_SIZE = 50;

/** Owner-only: the account's audit trail, newest first, paged by cursor. */
@Component({
  selector: 'app-audit-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    DateTimePipe,
    LoadState,
    PageHeader,
    RelativeTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
})
export class AuditPage {
  private readonly api = inject(Api);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);
  private request: Subscription | null = null;

  protected readonly now = injectNow();
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly labels = AUDIT_ACTION_LABELS;
  protected readonly summary = auditSummary;
  protected readonly columns = ['when', 'action', 'actor', 'details', 'ip'];

  protected readonly action = signal<AuditAction | null>(null);
  protected readonly events = signal<AuditEventDto[] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.reload();
  }

  protected labelOf(action: AuditAction | null): string {
    return action ? (this.labels[action] ?? action) : '';
  }

  protected filter(choice: AuditAction | 'all'): void {
    this.action.set(choice === 'all' ? null : choice);
    this.reload();
  }

  protected reload(): void {
    this.events.set(null);
    this.nextCursor.set(null);
    this.loadError.set(null);
    this.fetch(undefined);
  }

  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (cursor) {
      this.fetch(cursor);
    }
  }

  private fetch(cursor: string | undefined): void {
    this.request?.unsubscribe();
    const params: AuditEventsList$Params = { limit: PAGE_SIZE, cursor, action: this.action() ?? undefined };
    this.loading.set(true);
    this.request = this.api
      .invoke(auditEventsList, params)
      .pipe(
        finalize(() => this.loading.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (page) => {
          this.events.update((events) => (cursor ? [...(events ?? []), ...page.items] : page.items));
          this.nextCursor.set(page.next_cursor);
        },
        error: (error: unknown) => {
          if (cursor) {
            this.notifier.error(error);
          } else {
            this.loadError.set(problemOf(error).detail);
          }
        },
      });
  }
}
