import { Module } from '@nestjs/common';
import { AuditModule } from '@sessions/audit';
import { SessionsModule } from '../sessions/sessions.module';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { GeoIpService } from './geo-ip.service';

/** "Where you're signed in": the caller's sessions and per-device sign-out. */
@Module({
  imports: [SessionsModule, AuditModule],
  controllers: [DevicesController],
  providers: [DevicesService, GeoIpService],
  exports: [GeoIpService],
})
export class DevicesModule {}
