import { Clock } from '../../src/common/clock';

/**
 * The one clock of the API's tests, unit and integration: expiry is tested by moving it,
 * never by sleeping. Starts at a whole second (JWT claims are seconds) unless given a start.
 */
export class TestClock extends Clock {
  private current: number;

  constructor(start: Date = new Date(Math.floor(Date.now() / 1000) * 1000)) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  set(instant: Date): void {
    this.current = instant.getTime();
  }
}
