import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/**
 * The audit writer. It writes through the application's running transaction
 * (`@nestjs-cls/transactional`'s TransactionHost, registered by the application), so
 * this module exports no TypeORM providers; the application registers
 * `AuditEventEntity` with its data source.
 */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
