import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { ActiveUserDto } from '@sessions/api-client';
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
      @if (users().length === 0) {
        <p class="empty">Nobody is signed in.</p>
      } @else {
        <div class="scroll">
          <table mat-table [dataSource]="users()" aria-label="Active users">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let user">{{ user.name }}</td>
            </ng-container>
            <ng-container matColumnDef="email">
              <th mat-header-cell *matHeaderCellDef>Email</th>
              <td mat-cell *matCellDef="let user">{{ user.email }}</td>
            </ng-container>
            <ng-container matColumnDef="last">
              <th mat-header-cell *matHeaderCellDef>Last sign-in</th>
              <td mat-cell *matCellDef="let user" [matTooltip]="user.last_login_at | dateTime">
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
  styles: `
    .card {
      background: var(--mat-sys-surface);
      overflow: hidden;
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-large);
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
    .empty {
      padding: 16px;
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ActiveUsers {
  readonly users = input.required<ActiveUserDto[]>();
  protected readonly columns = ['name', 'email', 'last'];
  protected readonly now = injectNow();
}
