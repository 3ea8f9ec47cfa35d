import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { ActiveUserDto } from '@sessions/api-client';
import { AuthState } from '../../core/auth/auth-state';
import { DateTimePipe, RelativeTimePipe } from '../../shared/format.pipes';
import { injectNow } from '../../shared/now';

/** Users of the account with at least one live session. */
@Component({
  selector: 'app-active-users',
  imports: [MatCardModule, MatTableModule, MatTooltipModule, DateTimePipe, RelativeTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Active users</h2></mat-card-title>
        <mat-card-subtitle>People in your account who are signed in somewhere right now.</mat-card-subtitle>
      </mat-card-header>
      <p class="count" role="status">{{ summary() }}</p>
      @if (users().length > 0) {
        <div class="scroll">
          <table mat-table [dataSource]="users()" class="stack-table" aria-label="Active users">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let user">
                {{ user.name }}
                @if (user.user_id === myId()) {
                  <span class="you">(you)</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="email">
              <th mat-header-cell *matHeaderCellDef>Email</th>
              <td mat-cell *matCellDef="let user" data-label="Email">{{ user.email }}</td>
            </ng-container>
            <ng-container matColumnDef="devices">
              <th mat-header-cell *matHeaderCellDef>Devices</th>
              <td mat-cell *matCellDef="let user" data-label="Devices">{{ devices(user.session_count) }}</td>
            </ng-container>
            <ng-container matColumnDef="last">
              <th mat-header-cell *matHeaderCellDef>Last sign-in</th>
              <td mat-cell *matCellDef="let user" data-label="Last sign-in" [matTooltip]="user.last_login_at | dateTime">
                {{ user.last_login_at ? (user.last_login_at | relativeTime: now()) : 'Never' }}
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </div>
      }
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    .card {
      overflow: hidden;
    }
    .scroll {
      overflow-x: auto;
      margin-top: 12px;
    }
    table {
      width: 100%;
      min-width: 480px;
      background: transparent;
    }
    .count {
      padding: 16px 16px 0;
      margin: 0;
      font: var(--mat-sys-title-medium);
    }
    .you {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ActiveUsers {
  readonly users = input.required<ActiveUserDto[]>();
  private readonly auth = inject(AuthState);
  protected readonly myId = computed(() => this.auth.user()?.id ?? null);
  protected readonly summary = computed(() => peopleSignedIn(this.users().length));
  protected readonly columns = ['name', 'email', 'devices', 'last'];
  protected readonly devices = devicesSignedIn;
  protected readonly now = injectNow();
}

export function peopleSignedIn(count: number): string {
  if (count === 0) {
    return 'Nobody is signed in.';
  }
  return count === 1 ? '1 person is signed in.' : `${count} people are signed in.`;
}

export function devicesSignedIn(count: number): string {
  return count === 1 ? '1 device' : `${count} devices`;
}
