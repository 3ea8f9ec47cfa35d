import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sessions/audit';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountPolicyService } from './account-policy.service';
import { AccountEntity } from './account.entity';
import { AccountsRepository } from './accounts.repository';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity, UserEntity]), SessionsModule, AuditModule],
  controllers: [MembersController],
  providers: [AccountsRepository, AccountPolicyService, MembersService, PasswordHasher],
  exports: [AccountsRepository, AccountPolicyService, PasswordHasher],
})
export class AccountsModule {}
