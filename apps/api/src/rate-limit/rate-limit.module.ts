import { Global, Module } from '@nestjs/common';
import { LimiterStore, MemoryLimiterStore } from './limiter-store';

/** Provides the limit store; swap `MemoryLimiterStore` here for a shared store. */
@Global()
@Module({ providers: [{ provide: LimiterStore, useClass: MemoryLimiterStore }], exports: [LimiterStore] })
export class RateLimitModule {}
