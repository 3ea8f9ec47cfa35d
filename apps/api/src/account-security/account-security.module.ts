import { Module } from '@nestjs/common';
import { AuditModule } from '@sessions/audit';
import { AccountsModule } from '../accounts/accounts.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountSecurityController } from './account-security.controller';
import { AccountSecurityRepository } from './account-security.repository';
import { AccountSecurityService } from './account-security.service';
import { SignInPolicyController } from './sign-in-policy.controller';
import { SignInPolicyService } from './sign-in-policy.service';

/** Owner controls over members' sessions: policy GET/PATCH, bulk revoke, active users, the sign-in policy. */
@Module({
  imports: [AccountsModule, SessionsModule, AuditModule],
  controllers: [AccountSecurityController, SignInPolicyController],
  providers: [AccountSecurityRepository, AccountSecurityService, SignInPolicyService],
})
export class AccountSecurityModule {}
