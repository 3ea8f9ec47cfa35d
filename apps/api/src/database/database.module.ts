import { Global, Module } from '@nestjs/common';
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
    ClsModule.forRoot({
      global: true,
      plugins: [new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }) })],
    }),
  ],
  providers: [Transactions, PreparedQueries],
  exports: [Transactions, PreparedQueries],
})
export class DatabaseModule {}
