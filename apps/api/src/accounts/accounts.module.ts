import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sessions/audit';
import { DevicesModule } from '../devices/devices.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountPolicyService } from './account-policy.service';
import { AccountEntity } from './account.entity';
import { AccountsRepository } from './accounts.repository';
import { MemberSessionsController } from './member-sessions.controller';
import { MemberSessionsService } from './member-sessions.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity, UserEntity]), SessionsModule, DevicesModule, AuditModule],
  controllers: [MembersController, MemberSessionsController],
  providers: [AccountsRepository, UsersRepository, AccountPolicyService, MembersService, MemberSessionsService, PasswordHasher],
  exports: [AccountsRepository, UsersRepository, AccountPolicyService, PasswordHasher],
})
export class AccountsModule {}
