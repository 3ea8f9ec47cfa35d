import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sessions/audit';
import { AccountsModule } from '../accounts/accounts.module';
import { IdentitiesController } from './identities.controller';
import { IdentitiesRepository } from './identities.repository';
import { IdentitiesService } from './identities.service';
import { UserIdentityEntity } from './user-identity.entity';

/** Identities at OpenID Connect providers linked to users (the sign-in itself lives in auth/oidc). */
@Module({
  imports: [TypeOrmModule.forFeature([UserIdentityEntity]), AccountsModule, AuditModule],
  controllers: [IdentitiesController],
  providers: [IdentitiesRepository, IdentitiesService],
  exports: [IdentitiesRepository],
})
export class IdentitiesModule {}
