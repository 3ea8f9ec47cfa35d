import { Module } from '@nestjs/common';
import { AuditModule } from '@sessions/audit';
import { AccountsModule } from '../accounts/accounts.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountSecurityController } from './account-security.controller';
import { AccountSecurityRepository } from './account-security.repository';
import { AccountSecurityService } from './account-security.service';
import { RolePoliciesController } from './role-policies.controller';
import { RolePoliciesRepository } from './role-policies.repository';
import { RolePoliciesService } from './role-policies.service';
import { SignInPolicyController } from './sign-in-policy.controller';
import { SignInPolicyService } from './sign-in-policy.service';

/** Owner controls over members' sessions: policy GET/PATCH (with the session cap), role overrides, bulk revoke, active users, the sign-in policy. */
@Module({
  imports: [AccountsModule, SessionsModule, AuditModule],
  controllers: [AccountSecurityController, SignInPolicyController, RolePoliciesController],
  providers: [AccountSecurityRepository, AccountSecurityService, SignInPolicyService, RolePoliciesRepository, RolePoliciesService],
})
export class AccountSecurityModule {}
