import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
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
  type AuditEventsList$Params,
  type AuditExportFormat,
} from '@sessions/api-client';
import { Subscription, finalize } from 'rxjs';
import { Notifier } from '../../core/ui/notifier';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { loadErrorOf } from '../../shared/load-error';
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

  protected readonly now = injectNow();
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly labels = AUDIT_ACTION_LABELS;
  protected readonly summary = auditSummary;
  protected readonly columns = ['when', 'action', 'actor', 'details', 'ip'];

  protected readonly filters = signal<AuditFilters>({ action: null, actor: null, from: '', to: '' });
  /** The filters as the API takes them: each choice in the form loads the log anew. */
  private readonly query = computed<Omit<AuditEventsList$Params, 'cursor' | 'limit'>>(() => {
    const f = this.filters();
    const { since, until } = dayRange(f.from, f.to);
    return { action: f.action ?? undefined, actor: f.actor ?? undefined, since, until };
  });
  /**
   * The first page for the filters: a filter change cancels the call under way and loads anew
   * (the spinner again). "Load more" appends the next pages to this value in place.
   */
  protected readonly log = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.invoke(auditEventsList, { ...params, limit: PAGE_SIZE }),
  });
  protected readonly loadError = loadErrorOf(this.log);
  private readonly shown = computed(() => (this.log.hasValue() ? this.log.value() : null));
  protected readonly events = computed(() => this.shown()?.items ?? null);
  protected readonly nextCursor = computed(() => this.shown()?.next_cursor ?? null);
  protected readonly loadingMore = signal(false);
  private more: Subscription | null = null;
  /** The actor filter's choices; the log still works if they cannot be had. */
  private readonly people = rxResource({ stream: () => this.api.invoke(membersList) });
  protected readonly members = computed(() => (this.people.hasValue() ? this.people.value() : []));
  protected readonly exporting = signal(false);

  protected labelOf(action: AuditAction | null): string {
    return action ? (this.labels[action] ?? action) : '';
  }

  protected filtered(): boolean {
    const f = this.filters();
    return f.action !== null || f.actor !== null || f.from !== '' || f.to !== '';
  }

  protected setFilter(change: Partial<AuditFilters>): void {
    // A page still coming belongs to the old filters.
    this.more?.unsubscribe();
    this.filters.update((f) => ({ ...f, ...change }));
  }

  protected clearFilters(): void {
    this.setFilter({ action: null, actor: null, from: '', to: '' });
  }

  protected reload(): void {
    this.more?.unsubscribe();
    this.log.reload();
  }

  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.loadingMore.set(true);
    this.more = this.api
      .invoke(auditEventsList, { ...this.query(), limit: PAGE_SIZE, cursor })
      .pipe(
        finalize(() => this.loadingMore.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (page) => this.log.update((shown) => shown && { items: [...shown.items, ...page.items], next_cursor: page.next_cursor }),
        error: (error: unknown) => this.notifier.error(error),
      });
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
}
