import { Module } from '@nestjs/common';
import { AuditModule } from '@sessions/audit';
import { AccountsModule } from '../accounts/accounts.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountSecurityController } from './account-security.controller';
import { AccountSecurityRepository } from './account-security.repository';
import { AccountSecurityService } from './account-security.service';

/** Owner controls over members' sessions: policy GET/PATCH, bulk revoke, active users. */
@Module({
  imports: [AccountsModule, SessionsModule, AuditModule],
  controllers: [AccountSecurityController],
  providers: [AccountSecurityRepository, AccountSecurityService],
})
export class AccountSecurityModule {}
