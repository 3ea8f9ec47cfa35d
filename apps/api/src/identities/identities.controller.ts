import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { uuidPipe } from '../common/uuid.pipe';
import { IdentityDto } from './dto/identity.dto';
import { IdentitiesService } from './identities.service';

@ApiTags('identities')
@Controller('me/identities')
export class IdentitiesController {
  constructor(private readonly identities: IdentitiesService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Your identities at sign-in providers', description: 'Linked by your first sign-in with each, oldest first.' })
  @ApiOkResponse({ type: [IdentityDto] })
  list(@CurrentUser() caller: AuthUser): Promise<IdentityDto[]> {
    return this.identities.list(caller);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @RequiresRecentAuth()
  @ApiOperation({
    summary: 'Unlink one of your identities',
    description:
      'Audited as `identity.unlinked`. A later sign-in with it links it again by verified email, unless the account restricts it.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'Identity link id.' })
  @ApiNoContentResponse({ description: 'Unlinked.' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Not one of your identities (`not_found`).' })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'Your last way to sign in: the account requires external sign-in for members (`last_sign_in_method`).',
  })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'The id is not a UUID (`validation_failed`).' })
  async unlink(@CurrentUser() caller: AuthUser, @Param('id', uuidPipe) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.identities.unlink(caller, id, client);
  }
}
