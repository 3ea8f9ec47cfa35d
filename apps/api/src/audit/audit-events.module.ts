import { Module } from '@nestjs/common';
import { AuditEventsController } from './audit-events.controller';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditEventsService } from './audit-events.service';

/** HTTP surface of the audit log (the AuditModule itself lives in libs/audit). */
@Module({
  controllers: [AuditEventsController],
  providers: [AuditEventsRepository, AuditEventsService],
})
export class AuditEventsModule {}
