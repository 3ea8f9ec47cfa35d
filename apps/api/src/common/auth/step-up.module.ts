import { Global, Module } from '@nestjs/common';
import { RecentAuthGuard } from './recent-auth.guard';
import { StepUpRepository } from './step-up.repository';

/**
 * Global because `@Auth()` puts {@link RecentAuthGuard} on routes of every feature
 * module, and Nest resolves a guard's dependencies in the module of the controller.
 */
@Global()
@Module({
  providers: [StepUpRepository, RecentAuthGuard],
  exports: [StepUpRepository, RecentAuthGuard],
})
export class StepUpModule {}
