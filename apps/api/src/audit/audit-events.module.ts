import { Module } from '@nestjs/common';

/** HTTP surface of the audit log (the AuditModule itself lives in libs/audit). */
@Module({})
export class AuditEventsModule {}
