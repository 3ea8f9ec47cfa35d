import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { LimiterStore, MemoryLimiterStore, PostgresLimiterStore } from './limiter-store';

/** Provides the limit store RATE_LIMIT_STORE names: PostgreSQL (shared by replicas) or memory. */
@Global()
@Module({
  providers: [
    {
      provide: LimiterStore,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: RuntimeConfig, dataSource: DataSource): LimiterStore =>
        config.rateLimit.store === 'memory' ? new MemoryLimiterStore() : new PostgresLimiterStore(dataSource),
    },
  ],
  exports: [LimiterStore],
})
export class RateLimitModule {}
