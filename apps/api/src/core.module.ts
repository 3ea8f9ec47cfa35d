import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './common/clock';
import { APP_CONFIG } from './config/app-config';
import type { RuntimeConfig } from './config/runtime-config';

/** Configuration and the clock, available to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: RuntimeConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
