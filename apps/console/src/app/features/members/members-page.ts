import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Api, ROLE, membersList, membersUpdate, type MemberDto, type Role } from '@sessions/api-client';
import { filter, switchMap } from 'rxjs';
import { AuthState } from '../../core/auth/auth-state';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm, type ConfirmDialogData } from '../../shared/confirm-dialog';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { loadErrorOf } from '../../shared/load-error';
import { LoadState } from '../../shared/load-state';
import { injectNow } from '../../shared/now';
import { PageHeader } from '../../shared/page-header';
import { AddMemberDialog } from './add-member-dialog';
import { MemberSessionsDialog, type MemberSessionsDialogData } from './member-sessions-dialog';
import { ROLE_LABELS, devicesText } from './member-text';

/**
 * The people of the account. Owners add members, change roles, deactivate and
 * reactivate, and sign a member out of their devices; admins read; engineers get the
 * API's 403 (the navigation does not offer them the page).
 */
@Component({
  selector: 'app-members-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatMenuModule,
    MatTableModule,
    MatTooltipModule,
    DateTimePipe,
    LoadState,
    PageHeader,
    RelativeTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './members-page.html',
  styleUrl: './members-page.scss',
})
export class MembersPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly state = inject(AuthState);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly now = injectNow();
  protected readonly roles = ROLE;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly devicesText = devicesText;
  protected readonly canManage = this.state.isOwner;
  protected readonly myId = computed(() => this.state.user()?.id ?? null);
  /** The people; a change the API confirms is written into this value, a closed devices dialog reloads it. */
  protected readonly list = rxResource({ stream: () => this.api.invoke(membersList) });
  protected readonly members = computed(() => (this.list.hasValue() ? this.list.value() : null));
  protected readonly loadError = loadErrorOf(this.list);
  protected readonly busy = signal<string | null>(null);
  protected readonly columns = computed(() =>
    this.canManage() ? ['name', 'role', 'status', 'last', 'devices', 'actions'] : ['name', 'role', 'status', 'last', 'devices'],
  );

  protected roleLabel(role: Role): string {
    return ROLE_LABELS[role];
  }

  protected add(): void {
    this.dialog
      .open<AddMemberDialog, undefined, MemberDto>(AddMemberDialog, { width: '480px', maxWidth: '95vw', autoFocus: 'first-tabbable' })
      .afterClosed()
      .pipe(filter((member): member is MemberDto => member !== undefined))
      .subscribe((member) => {
        this.list.update((list) => [...(list ?? []), member]);
        this.notifier.info(`Added ${member.name}.`);
      });
  }

  protected changeRole(member: MemberDto, role: Role): void {
    this.confirmThenUpdate(
      member,
      {
        title: `Make ${member.name} an ${ROLE_LABELS[role].toLowerCase()}?`,
        message: `${member.name} is signed out of every device and signs in again with the new role.`,
        confirmLabel: `Make ${ROLE_LABELS[role].toLowerCase()}`,
      } satisfies ConfirmDialogData,
      { role },
      `${member.name} is now an ${ROLE_LABELS[role].toLowerCase()}.`,
    );
  }

  protected setActive(member: MemberDto, active: boolean): void {
    const data: ConfirmDialogData = active
      ? {
          title: `Reactivate ${member.name}?`,
          message: `${member.name} can sign in again with their password.`,
          confirmLabel: 'Reactivate',
        }
      : {
          title: `Deactivate ${member.name}?`,
          message: `${member.name} is signed out of every device at once and cannot sign in until reactivated.`,
          confirmLabel: 'Deactivate',
          destructive: true,
        };
    this.confirmThenUpdate(member, data, { is_active: active }, `${member.name} is ${active ? 'active again' : 'deactivated'}.`);
  }

  protected openSessions(member: MemberDto): void {
    this.dialog
      .open<MemberSessionsDialog, MemberSessionsDialogData, number>(MemberSessionsDialog, {
        data: { member } satisfies MemberSessionsDialogData,
        width: '640px',
        maxWidth: '95vw',
        autoFocus: 'dialog',
      })
      .afterClosed()
      .subscribe(() => this.list.reload());
  }

  private confirmThenUpdate(member: MemberDto, data: ConfirmDialogData, body: { role?: Role; is_active?: boolean }, done: string): void {
    openConfirm(this.dialog, data)
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(member.id);
          return this.api.invoke(membersUpdate, { id: member.id, body });
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (updated) => {
          this.busy.set(null);
          this.list.update((list) => (list ?? []).map((m) => (m.id === updated.id ? updated : m)));
          this.notifier.info(done);
        },
        error: (error: unknown) => {
          this.busy.set(null);
          // The API's refusal (e.g. 409 "the last active owner…") says exactly what went wrong.
          this.notifier.error(error);
        },
      });
  }
}
