import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Api, accountSecurityUpdate, type SecurityPolicyDto } from '@sessions/api-client';
import {
  POLICY_PRESETS,
  STANDARD_PRESET,
  presetOverrides,
  resolvePolicy,
  type EffectivePolicy,
  type PolicyBounds,
  type PolicyOverrides,
  type PolicyPreset,
} from '@sessions/session-policy';
import { finalize, map, merge } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { DurationPipe } from '../../shared/format.pipes';
import { boundsOf, policyFieldValidator, rangeHint } from './policy-validation';

const PRESET_LABELS: Record<PolicyPreset, string> = { strict: 'Strict', standard: 'Standard', custom: 'Custom' };

/** Strict / Standard / Custom session policy, saved with PATCH /accounts/me/security. */
@Component({
  selector: 'app-policy-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    DurationPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './policy-form.html',
  styleUrls: ['./security-card.scss', './policy-form.scss'],
})
export class PolicyForm {
  private readonly api = inject(Api);
  private readonly notifier = inject(Notifier);

  readonly policy = input.required<SecurityPolicyDto>();
  readonly saved = output<SecurityPolicyDto>();

  protected readonly presets = POLICY_PRESETS.map((value) => ({ value, label: PRESET_LABELS[value] }));
  protected readonly standard = STANDARD_PRESET;
  protected readonly preset = signal<PolicyPreset>('strict');
  protected readonly saving = signal(false);
  /** Set from the policy input; null until it arrives (validators run from construction on). */
  private readonly bounds = signal<PolicyBounds | null>(null);
  /** The owner's Custom numbers, kept while another preset is shown in the (then disabled) fields. */
  private customDraft: { idle: number | null; absolute: number | null } = { idle: null, absolute: null };
  protected readonly idleHint = computed(() => rangeHint(this.policy().idle_minutes_min, this.policy().idle_minutes_max));
  protected readonly absoluteHint = computed(() => rangeHint(this.policy().absolute_minutes_min, this.policy().absolute_minutes_max));

  protected readonly form = new FormGroup({
    idle: new FormControl<number | null>(null, [Validators.required, policyFieldValidator('idle_minutes', () => this.bounds())]),
    absolute: new FormControl<number | null>(null, [Validators.required, policyFieldValidator('absolute_minutes', () => this.bounds())]),
  });
  private readonly formState = toSignal(
    merge(this.form.valueChanges, this.form.statusChanges).pipe(map(() => ({ value: this.form.getRawValue(), valid: this.form.valid }))),
    { initialValue: { value: this.form.getRawValue(), valid: this.form.valid } },
  );

  /** What Save would store. */
  private readonly target = computed<PolicyOverrides>(() => {
    const preset = this.preset();
    if (preset !== 'custom') {
      return presetOverrides(preset);
    }
    const { idle, absolute } = this.formState().value;
    return { idleMinutes: idle, absoluteMinutes: absolute };
  });
  protected readonly changed = computed(() => {
    const target = this.target();
    const policy = this.policy();
    return target.idleMinutes !== policy.idle_minutes || target.absoluteMinutes !== policy.absolute_minutes;
  });
  protected readonly canSave = computed(() => !this.saving() && this.changed() && (this.preset() !== 'custom' || this.formState().valid));

  constructor() {
    // Idle is checked against absolute and the other way round.
    const { idle, absolute } = this.form.controls;
    idle.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => absolute.updateValueAndValidity({ emitEvent: false }));
    absolute.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => idle.updateValueAndValidity({ emitEvent: false }));

    effect(() => {
      const policy = this.policy();
      untracked(() => this.reset(policy));
    });
  }

  protected choose(preset: PolicyPreset): void {
    if (this.preset() === 'custom') {
      this.customDraft = this.form.getRawValue();
    }
    this.preset.set(preset);
    this.showPreset();
  }

  protected save(): void {
    if (!this.canSave()) {
      this.form.markAllAsTouched();
      return;
    }
    const target = this.target();
    this.saving.set(true);
    this.api
      .invoke(accountSecurityUpdate, { body: { idle_minutes: target.idleMinutes, absolute_minutes: target.absoluteMinutes } })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (policy) => {
          this.notifier.info('Session policy saved. It applies to new sign-ins, and tightens live sessions at their next refresh.');
          this.saved.emit(policy);
        },
        error: (error: unknown) => this.showServerErrors(error),
      });
  }

  private reset(policy: SecurityPolicyDto): void {
    this.bounds.set(boundsOf(policy));
    this.preset.set(policy.preset);
    this.customDraft = { idle: policy.effective_idle_minutes, absolute: policy.effective_absolute_minutes };
    this.showPreset();
  }

  /** Custom: the owner's numbers, editable. Strict or Standard: what that preset means, read-only. */
  private showPreset(): void {
    const preset = this.preset();
    if (preset === 'custom') {
      this.form.reset(this.customDraft);
      this.form.enable();
      return;
    }
    const bounds = this.bounds();
    const shown: EffectivePolicy | null = bounds ? resolvePolicy(presetOverrides(preset), bounds) : null;
    this.form.reset({ idle: shown?.idleMinutes ?? null, absolute: shown?.absoluteMinutes ?? null });
    this.form.disable();
  }

  /** Maps a 422 `errors[]` onto the inputs; anything else goes to a snack-bar. */
  private showServerErrors(error: unknown): void {
    const problem = problemOf(error);
    const controls = { idle_minutes: this.form.controls.idle, absolute_minutes: this.form.controls.absolute } as const;
    let mapped = false;
    for (const fieldError of problem.errors) {
      const control = fieldError.field === 'idle_minutes' || fieldError.field === 'absolute_minutes' ? controls[fieldError.field] : null;
      if (control) {
        if (this.preset() !== 'custom') {
          // A preset the operator's bounds refuse: show its numbers as Custom ones to fix.
          this.customDraft = this.form.getRawValue();
          this.choose('custom');
        }
        control.setErrors({ server: fieldError.message });
        control.markAsTouched();
        mapped = true;
      }
    }
    if (!mapped) {
      this.notifier.error(error);
    }
  }
}
