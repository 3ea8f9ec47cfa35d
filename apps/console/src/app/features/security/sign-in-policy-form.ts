import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { Api, signInPolicyGet, signInPolicyUpdate, type SignInPolicyDto } from '@sessions/api-client';
import { finalize } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { LoadState } from '../../shared/load-state';
import { FIELD_LABELS, parseDomains } from './sign-in-policy-validation';

const domainsValidator = (control: AbstractControl): ValidationErrors | null => {
  const error = parseDomains(String(control.value ?? '')).error;
  return error ? { domains: error } : null;
};

/**
 * Owner only: who may sign in how (`GET/PATCH /api/accounts/me/security/sign-in`) — external
 * sign-in required for members, which providers and which email domains are accepted. Domains are
 * checked here as the API checks them; the provider rules (one usable provider when external
 * sign-in is required, only providers configured here) are the API's, and its refusal is shown
 * in its words with the fields named as the form names them.
 */
@Component({
  selector: 'app-sign-in-policy-form',
  imports: [
    LoadState,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Sign-in methods</h2></mat-card-title>
        <mat-card-subtitle>How people in your account may sign in. Applies from their next sign-in.</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        @if (policy(); as policy) {
          <form class="fields" [formGroup]="form" (ngSubmit)="save()">
            <div class="field">
              <mat-slide-toggle [checked]="requireExternal()" (change)="requireExternal.set($event.checked)">
                Require sign-in with a provider for members
              </mat-slide-toggle>
              <p class="hint">Admins and engineers can no longer sign in with a password. Owners keep their password.</p>
            </div>

            <fieldset class="field">
              <legend>Accepted providers</legend>
              @if (policy.available_providers.length === 0) {
                <p class="hint">No sign-in provider is configured on this server.</p>
              } @else {
                <mat-radio-group
                  aria-label="Accepted providers"
                  [value]="onlySelected() ? 'selected' : 'any'"
                  (change)="onlySelected.set($event.value === 'selected')"
                >
                  <mat-radio-button value="any">Any provider configured here</mat-radio-button>
                  <mat-radio-button value="selected">Only these:</mat-radio-button>
                </mat-radio-group>
                <div class="providers">
                  @for (provider of policy.available_providers; track provider.id) {
                    <mat-checkbox
                      [checked]="selected().includes(provider.id)"
                      [disabled]="!onlySelected()"
                      (change)="toggle(provider.id, $event.checked)"
                    >
                      {{ provider.display_name }}
                    </mat-checkbox>
                  }
                </div>
              }
            </fieldset>

            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="domains">
              <mat-label>Accepted email domains</mat-label>
              <input matInput formControlName="domains" placeholder="example.com, example.org" />
              <mat-hint>Separate with commas. Empty accepts any domain a provider asserts.</mat-hint>
              @if (domains.getError('domains'); as message) {
                <mat-error>{{ message }}</mat-error>
              }
            </mat-form-field>

            @if (refusal(); as message) {
              <p class="refusal" role="alert">{{ message }}</p>
            }
            <div class="actions">
              <button matButton="filled" type="submit" [disabled]="saving()">Save sign-in methods</button>
            </div>
          </form>
        } @else {
          <app-load-state label="Loading the sign-in methods…" [error]="loadError()" (retry)="load()" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 20px;
      padding-top: 8px;
    }
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    mat-radio-group,
    .providers {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
    }
    .providers {
      margin-left: 32px;
    }
    .hint {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .domains {
      max-width: 560px;
    }
    .refusal {
      margin: 0;
      padding: 12px 16px;
      border-radius: 8px;
      color: var(--mat-sys-on-error-container);
      background: var(--mat-sys-error-container);
    }
  `,
})
export class SignInPolicyForm {
  private readonly api = inject(Api);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly policy = signal<SignInPolicyDto | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly requireExternal = signal(false);
  protected readonly onlySelected = signal(false);
  protected readonly selected = signal<string[]>([]);
  protected readonly domains = new FormControl('', { nonNullable: true, validators: domainsValidator });
  protected readonly form = new FormGroup({ domains: this.domains });
  /** A local check that failed on save, or the API's refusal. */
  protected readonly refusal = signal<string | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .invoke(signInPolicyGet)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (policy) => this.show(policy),
        error: (error: unknown) => this.loadError.set(problemOf(error).detail),
      });
  }

  protected toggle(provider: string, checked: boolean): void {
    this.selected.update((list) => (checked ? [...list.filter((id) => id !== provider), provider] : list.filter((id) => id !== provider)));
  }

  protected save(): void {
    const policy = this.policy();
    if (!policy) return;
    this.refusal.set(null);
    this.domains.markAsTouched();
    const parsed = parseDomains(this.domains.value);
    if (parsed.error) {
      this.refusal.set('Check the accepted email domains.');
      return;
    }
    this.saving.set(true);
    this.api
      .invoke(signInPolicyUpdate, {
        body: {
          require_external_sign_in: this.requireExternal(),
          allowed_providers: this.onlySelected() ? this.selected() : null,
          allowed_email_domains: parsed.domains,
        },
      })
      .pipe(
        finalize(() => this.saving.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (saved) => {
          this.show(saved);
          this.notifier.info('Sign-in methods saved.');
        },
        error: (error: unknown) => {
          const problem = problemOf(error);
          const fields = problem.errors.map((e) => `${FIELD_LABELS[e.field] ?? e.field}: ${e.message}.`).join(' ');
          this.refusal.set(fields ? `${problem.detail} ${fields}` : problem.detail);
        },
      });
  }

  private show(policy: SignInPolicyDto): void {
    this.policy.set(policy);
    this.requireExternal.set(policy.require_external_sign_in);
    this.onlySelected.set(policy.allowed_providers !== null);
    this.selected.set(policy.allowed_providers ?? []);
    this.domains.setValue((policy.allowed_email_domains ?? []).join(', '));
  }
}
