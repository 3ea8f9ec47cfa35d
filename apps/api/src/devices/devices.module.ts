import { Module } from '@nestjs/common';

/** "Where you're signed in": the caller's sessions and per-device sign-out. */
@Module({})
export class DevicesModule {}
