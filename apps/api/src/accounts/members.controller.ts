import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { Client, CurrentUser } from '../common/request-decorators';
import { CreateMemberDto, mapMember, MemberDto, UpdateMemberDto } from './dto/member.dto';
import { MembersService } from './members.service';

@ApiTags('members')
@Controller('accounts/me/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: "List the members of the caller's account" })
  @ApiOkResponse({ type: [MemberDto] })
  async list(@CurrentUser() caller: AuthUser): Promise<MemberDto[]> {
    return (await this.members.list(caller)).map(mapMember);
  }

  @Post()
  @Auth({ roles: ['owner'] })
  // A new member may be an owner: as sensitive as a role change.
  @RequiresRecentAuth()
  @ApiOperation({ summary: 'Add a member' })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'Email already registered (`conflict`).' })
  async add(@CurrentUser() caller: AuthUser, @Body() dto: CreateMemberDto, @Client() client: ClientInfo): Promise<MemberDto> {
    return mapMember(await this.members.add(caller, dto, client));
  }

  @Patch(':id')
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({ summary: "Change a member's role or deactivate them (ends their sessions)" })
  @ApiOkResponse({ type: MemberDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'Would leave the account without an active owner (`conflict`).' })
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateMemberDto,
    @Client() client: ClientInfo,
  ): Promise<MemberDto> {
    return mapMember(await this.members.update(caller, id, dto, client));
  }
}
