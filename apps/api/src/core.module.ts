import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './common/clock';
import { Drain } from './common/drain';
import { APP_CONFIG } from './config/app-config';
import type { RuntimeConfig } from './config/runtime-config';

/** Configuration, the clock and the shutdown drain, available to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: RuntimeConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: Clock, useValue: clock }, Drain],
      exports: [APP_CONFIG, Clock, Drain],
    };
  }
}
