import { Pipe, type PipeTransform } from '@angular/core';
import { dateTime, humanDuration, relativeTime } from './format';

/** `{{ iso | relativeTime: now() }}`: pure, refreshed when `now` ticks. */
@Pipe({ name: 'relativeTime' })
export class RelativeTimePipe implements PipeTransform {
  transform(iso: string | null | undefined, nowMs: number): string {
    return iso ? relativeTime(iso, nowMs) : '';
  }
}

/** `{{ minutes | duration }}` → "3 days". */
@Pipe({ name: 'duration' })
export class DurationPipe implements PipeTransform {
  transform(minutes: number | null | undefined): string {
    return minutes === null || minutes === undefined ? '' : humanDuration(minutes);
  }
}

/** `{{ iso | dateTime }}` → "Mar 3, 2026, 14:05". */
@Pipe({ name: 'dateTime' })
export class DateTimePipe implements PipeTransform {
  transform(iso: string | null | undefined): string {
    return dateTime(iso);
  }
}
