import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { dataSourceOptions } from './data-source';
import { PreparedQueries } from './prepared';
import { Transactions } from './transactions';

const ENHANCERS: unknown[] = [APP_GUARD, APP_INTERCEPTOR];

/**
 * nestjs-cls registers a global guard and a global interceptor whatever `mount` says; not
 * mounted (as here) they do nothing (`canActivate: () => true`, `next.handle()`), yet every
 * route then runs Nest's guard consumer and the whole rxjs interceptor chain (defer,
 * mergeAll, an Observable per request): ≈ 25 µs of CPU per request, on every route
 * (docs/benchmark-notes.md). This drops exactly those two providers of nestjs-cls's root
 * module, and fails at startup if an upgrade moves them, instead of silently keeping them.
 */
export function withoutGlobalEnhancers(cls: DynamicModule): DynamicModule {
  let dropped = 0;
  const strip = (module: DynamicModule): DynamicModule => ({
    ...module,
    imports: module.imports?.map((imported) => (isDynamicModule(imported) ? strip(imported) : imported)),
    providers: module.providers?.filter((provider: Provider) => {
      const enhancer = typeof provider === 'object' && 'provide' in provider && ENHANCERS.includes(provider.provide);
      if (enhancer) dropped++;
      return !enhancer;
    }),
  });
  const stripped = strip(cls);
  if (dropped !== ENHANCERS.length) throw new Error(`nestjs-cls: expected its ${ENHANCERS.length} global enhancers, found ${dropped}`);
  return stripped;
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && 'module' in value;
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: RuntimeConfig) => ({
        ...dataSourceOptions(config.databaseUrl, { poolSize: config.databasePoolSize, timeouts: config.databaseTimeouts }),
        // The schema (and its extensions) belong to the migrations, run as the owner role.
        installExtensions: false,
        // Failed queries are already answered and logged by the problem filter; TypeORM's
        // own console lines would only duplicate them (and are silenced with the logs).
        logging: config.logLevel === 'silent' ? false : ['warn', 'migration'],
        // Start even when PostgreSQL is down: requests answer 503 until it is back.
        retryAttempts: 0,
        manualInitialization: false,
      }),
    }),
    // The async context that carries the running transaction (ADR 0022). No middleware:
    // a context exists only inside `Transactions.run`, so requests that open no
    // transaction (the refresh rotation, guarded reads) pay nothing for it.
    withoutGlobalEnhancers(
      ClsModule.forRoot({
        global: true,
        plugins: [new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }) })],
      }),
    ),
  ],
  providers: [Transactions, PreparedQueries],
  exports: [Transactions, PreparedQueries],
})
export class DatabaseModule {}
