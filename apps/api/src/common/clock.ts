import { Injectable } from '@nestjs/common';

/**
 * The only source of "now" in the API. Injected everywhere time matters so
 * expiry tests move a clock instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Unix seconds, the unit of JWT claims. */
  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
