import { Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import type { AuditContext } from '@sessions/audit';
import { AuditService } from '@sessions/audit';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/problem';
import { Transactions } from '../database/transactions';
import { SessionsService } from '../sessions/sessions.service';
import { isUniqueViolation } from '../database/errors';
import { AccountsRepository } from './accounts.repository';
import type { CreateMemberDto, MemberView, UpdateMemberDto } from './dto/member.dto';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/** Members of the caller's account. Every query is scoped by the caller's account id. */
@Injectable()
export class MembersService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: AuthUser): Promise<MemberView[]> {
    const [users, counts] = await Promise.all([
      this.accounts.listUsers(caller.accountId),
      this.accounts.countLiveSessions(caller.accountId, this.clock.now()),
    ]);
    return users.map((user) => ({ user, activeSessionCount: counts.get(user.id) ?? 0 }));
  }

  async add(caller: AuthUser, dto: CreateMemberDto, client: ClientInfo): Promise<MemberView> {
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      return await this.transactions.run(async () => {
        const user = await this.users.create({
          accountId: caller.accountId,
          email: dto.email,
          name: dto.name,
          role: dto.role,
          passwordHash,
        });
        await this.audit.record(this.context(caller, client), {
          action: 'member.added',
          resourceType: 'user',
          resourceId: user.id,
          details: { user_id: user.id, role: user.role, is_active: user.isActive },
        });
        return { user, activeSessionCount: 0 };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('That email is already registered.');
      throw error;
    }
  }

  /**
   * Changes a member's role or active flag. The account row is locked first, so two
   * owners demoting each other cannot leave the account without an active owner.
   * Deactivation and role changes end the member's sessions at once.
   */
  async update(caller: AuthUser, userId: string, dto: UpdateMemberDto, client: ClientInfo): Promise<MemberView> {
    return this.transactions.run(async () => {
      await this.accounts.lockAccount(caller.accountId);
      const user = await this.accounts.findUser(caller.accountId, userId);
      if (!user) throw notFound('No such member in this account.');
      const role = dto.role ?? user.role;
      const isActive = dto.is_active ?? user.isActive;
      const losesOwnership = user.role === 'owner' && user.isActive && (role !== 'owner' || !isActive);
      if (losesOwnership && (await this.accounts.countActiveOwners(caller.accountId)) <= 1) {
        throw conflict('The last active owner cannot be demoted or deactivated.');
      }
      await this.users.setRoleAndActive(caller.accountId, user.id, role, isActive);
      if (user.isActive && !isActive) {
        await this.sessions.revoke({ accountId: caller.accountId, userId: user.id }, 'user_deactivated');
      } else if (role !== user.role) {
        // Access tokens carry the role: end the member's sessions so no token keeps the old one.
        await this.sessions.revoke({ accountId: caller.accountId, userId: user.id }, 'role_changed');
      }
      await this.audit.record(this.context(caller, client), {
        action: 'member.updated',
        resourceType: 'user',
        resourceId: user.id,
        details: { user_id: user.id, role, is_active: isActive },
      });
      const counts = await this.accounts.countLiveSessions(caller.accountId, this.clock.now(), user.id);
      return { user: Object.assign(user, { role, isActive }), activeSessionCount: counts.get(user.id) ?? 0 };
    });
  }

  private context(caller: AuthUser, client: ClientInfo): AuditContext {
    return auditContext(caller, client, this.clock.now());
  }
}
