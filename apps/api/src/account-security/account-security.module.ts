import { Module } from '@nestjs/common';

/** Owner controls over members' sessions: policy GET/PATCH, bulk revoke, active users. */
@Module({})
export class AccountSecurityModule {}
