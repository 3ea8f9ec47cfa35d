import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { SessionRevocations } from './session-revocations.service';
import { SessionSweeper } from './session-sweeper.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, RefreshTokenEntity])],
  providers: [SessionsRepository, SessionRevocations, SessionsService, SessionSweeper],
  exports: [SessionRevocations, SessionsService, SessionSweeper],
})
export class SessionsModule {}
