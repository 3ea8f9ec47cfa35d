import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  Api,
  auditEventsExportEvents$Csv,
  auditEventsExportEvents$XNdjson,
  auditEventsList,
  membersList,
  type AuditAction,
  type AuditEventDto,
  type AuditEventsList$Params,
  type AuditExportFormat,
  type MemberDto,
} from '@sessions/api-client';
import { Subscription, finalize } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { LoadState } from '../../shared/load-state';
import { injectNow } from '../../shared/now';
import { PageHeader } from '../../shared/page-header';
import { attachmentName, saveBlob, withTextBody } from './audit-download';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, auditSummary, dayRange } from './audit-text';

const PAGE_SIZE = 50;

/** The page's filters; days are `yyyy-mm-dd` in the browser's time zone, both inclusive. */
interface AuditFilters {
  action: AuditAction | null;
  actor: string | null;
  from: string;
  to: string;
}

/** Owner-only: the account's audit trail, newest first, paged by cursor, filterable and exportable. */
@Component({
  selector: 'app-audit-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
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

  protected readonly filters = signal<AuditFilters>({ action: null, actor: null, from: '', to: '' });
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly events = signal<AuditEventDto[] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly exporting = signal(false);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.reload();
    // The actor filter's choices; the log still works if this fails.
    this.api
      .invoke(membersList)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (members) => this.members.set(members), error: () => undefined });
  }

  protected labelOf(action: AuditAction | null): string {
    return action ? (this.labels[action] ?? action) : '';
  }

  protected filtered(): boolean {
    const f = this.filters();
    return f.action !== null || f.actor !== null || f.from !== '' || f.to !== '';
  }

  protected setFilter(change: Partial<AuditFilters>): void {
    this.filters.update((f) => ({ ...f, ...change }));
    this.reload();
  }

  protected clearFilters(): void {
    this.setFilter({ action: null, actor: null, from: '', to: '' });
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

  /** Downloads every event matching the filters (not only the loaded pages), as the API streams it. */
  protected download(format: AuditExportFormat): void {
    const params = { ...this.query(), format };
    const call =
      format === 'csv'
        ? this.api.invoke$Response(auditEventsExportEvents$Csv, params)
        : this.api.invoke$Response(auditEventsExportEvents$XNdjson, params);
    this.exporting.set(true);
    call
      .pipe(
        finalize(() => this.exporting.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (response) => saveBlob(response.body, attachmentName(response.headers, `audit-events.${format}`)),
        error: (error: unknown) => void withTextBody(error).then((readable) => this.notifier.error(readable)),
      });
  }

  private query(): Omit<AuditEventsList$Params, 'cursor' | 'limit'> {
    const f = this.filters();
    const { since, until } = dayRange(f.from, f.to);
    return { action: f.action ?? undefined, actor: f.actor ?? undefined, since, until };
  }

  private fetch(cursor: string | undefined): void {
    this.request?.unsubscribe();
    const params: AuditEventsList$Params = { ...this.query(), limit: PAGE_SIZE, cursor };
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
