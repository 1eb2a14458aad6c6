import { sql } from 'kysely';
import { actedBy, type AuditService } from '../audit/service.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import type { Db, Executor } from '../db/database.js';
import { newId, nowIso } from '../db/ids.js';
import { refusingTaken } from '../db/unique-violation.js';
import { assertUpdated } from '../db/versioning.js';
import type { Outbox, OutgoingEmail } from '../notify/outbox.js';
import type { IssuedLink, UserTokens } from '../auth/user-tokens.js';
import { hashPassword } from '../auth/passwords.js';
import { endSessionsOf } from '../auth/sessions.js';
import { remainingRecoveryCodes, removeRecoveryCodes } from '../auth/recovery-codes.js';
import { UserFacingError } from '../http/errors.js';
import type { RequestOrigin } from '../auth/service.js';
import type { Actor, Role } from './policy.js';
import { emailIndex, findUserRowByEmail, findUserRowById, lockAccount, normaliseEmail, toUser, type User } from './users.js';

export interface Viewer {
  readonly name: string;
  readonly organisationName: string;
}

export interface NewUser {
  readonly organisationId: string;
  readonly email: string;
  readonly name: string;
  readonly phone?: string | undefined;
  readonly roles: readonly Role[];
}

export interface UserServiceDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly userTokens: UserTokens;
  readonly outbox: Outbox;
  readonly baseUrl: string;
  readonly clock: () => Date;
}

/** Partner staff accounts: invitations, roles, disabling. Every change is audited in the same transaction. */
export function createUserService(deps: UserServiceDeps) {
  const { db, crypto, audit, clock } = deps;

  async function insertUser(executor: Executor, user: NewUser, status: 'invited' | 'active', passwordHash: string | null): Promise<string> {
    const taken = () => new UserFacingError(409, 'An account with this email address already exists.');
    if (await findUserRowByEmail(executor, crypto, user.email)) throw taken();
    const id = newId();
    const now = nowIso(clock);
    // The check above and this write are apart: an invitation sent at the same moment is refused in the same words.
    await refusingTaken(
      executor
        .insertInto('users')
        .values({
          id,
          organisation_id: user.organisationId,
          email_index: emailIndex(crypto, user.email),
          email_enc: crypto.encrypt(normaliseEmail(user.email)),
          name_enc: crypto.encrypt(user.name.trim()),
          phone_enc: crypto.encryptOptional(user.phone?.trim()),
          roles: JSON.stringify([...new Set(user.roles)]),
          status,
          password_hash: passwordHash,
          totp_secret_enc: null,
          totp_last_step: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute(),
      'users',
      'email_index',
      taken,
    );
    return id;
  }

  return {
    async hasAuthenticator(userId: string): Promise<boolean> {
      const row = await findUserRowById(db.kysely, userId);
      return Boolean(row?.totp_secret_enc);
    },

    async viewer(userId: string): Promise<Viewer | undefined> {
      const row = await db.kysely
        .selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
        .select(['users.name_enc', 'organisations.name as organisation_name'])
        .where('users.id', '=', userId)
        .executeTakeFirst();
      return row ? { name: crypto.decrypt(row.name_enc), organisationName: row.organisation_name } : undefined;
    },

    async accountSummary(userId: string) {
      const row = await findUserRowById(db.kysely, userId);
      if (!row) throw new UserFacingError(404, 'Account not found.');
      const user = toUser(crypto, row);
      const organisation = await db.kysely.selectFrom('organisations').select('name').where('id', '=', row.organisation_id).executeTakeFirstOrThrow();
      return { ...user, organisationName: organisation.name, recoveryCodesLeft: await remainingRecoveryCodes(db.kysely, userId) };
    },

    /** Creates an invited account and emails a single-use link; nothing is sent unless the account is saved. */
    async invite(actor: Actor, user: NewUser, origin: RequestOrigin): Promise<string> {
      return db.kysely.transaction().execute(async (trx) => {
        const id = await insertUser(trx, user, 'invited', null);
        const link = await deps.userTokens.issueWith(trx, id, 'invitation');
        await deps.outbox.enqueueWith(trx, invitationEmail(deps.baseUrl, user.email, link));
        await audit.recordWith(trx, {
          action: 'INVITATION_SENT',
          ...actedBy(actor),
          recordType: 'user',
          recordId: id,
          details: { organisationId: user.organisationId, roles: user.roles.join(' ') },
          ...origin,
        });
        return id;
      });
    },

    /** For the operator CLI and the demo seed: an active account with a password, second factor still to set up. */
    async createActive(user: NewUser, password: string): Promise<string> {
      const passwordHash = await hashPassword(password);
      return db.kysely.transaction().execute(async (trx) => {
        const id = await insertUser(trx, user, 'active', passwordHash);
        await audit.recordWith(trx, { action: 'USER_CREATED', recordType: 'user', recordId: id, details: { organisationId: user.organisationId, via: 'operator' } });
        return id;
      });
    },

    /**
     * For the operator CLI: an invited account whose one-time link is returned to the operator instead of being
     * emailed (for the first administrator, before email is set up).
     */
    async createInvited(user: NewUser): Promise<{ id: string; link: string }> {
      return db.kysely.transaction().execute(async (trx) => {
        const id = await insertUser(trx, user, 'invited', null);
        const { token } = await deps.userTokens.issueWith(trx, id, 'invitation');
        await audit.recordWith(trx, { action: 'USER_CREATED', recordType: 'user', recordId: id, details: { organisationId: user.organisationId, roles: user.roles.join(' '), via: 'operator' } });
        return { id, link: invitationLink(deps.baseUrl, token) };
      });
    },

    /** A fresh invitation link for someone who has not yet set a password; the earlier link stops working. */
    async resendInvitation(actor: Actor, userId: string, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        // Read under the account's lock: an invitation accepted a moment ago is not sent again.
        await lockAccount(trx, db.dialect, userId);
        const row = await findUserRowById(trx, userId);
        if (!row) throw new UserFacingError(404, 'Account not found.');
        if (row.password_hash !== null || row.status === 'disabled') {
          throw new UserFacingError(409, 'Only someone who has not yet accepted their invitation, and whose account is not disabled, can be sent a new invitation.');
        }
        const link = await deps.userTokens.issueWith(trx, userId, 'invitation');
        await deps.outbox.enqueueWith(trx, invitationEmail(deps.baseUrl, crypto.decrypt(row.email_enc), link));
        await audit.recordWith(trx, {
          action: 'INVITATION_SENT',
          ...actedBy(actor),
          recordType: 'user',
          recordId: userId,
          details: { organisationId: row.organisation_id, resent: true },
          ...origin,
        });
      });
    },

    /**
     * For someone who has lost their authenticator app and their recovery codes: the app and the codes stop working,
     * every session ends, and at their next sign-in (password first) they set up a new app. They are emailed, so a
     * reset they did not ask for does not go unnoticed.
     */
    async resetAuthenticator(actor: Actor, userId: string, version: number, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('users')
          .set({ totp_secret_enc: null, totp_last_step: null, version: version + 1, updated_at: nowIso(clock) })
          .where('id', '=', userId)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'user');
        await removeRecoveryCodes(trx, userId);
        await endSessionsOf(trx, userId);
        const row = await findUserRowById(trx, userId);
        if (row) await deps.outbox.enqueueWith(trx, authenticatorResetEmail(deps.baseUrl, crypto.decrypt(row.email_enc)));
        await audit.recordWith(trx, { action: 'USER_AUTHENTICATOR_RESET', ...actedBy(actor), recordType: 'user', recordId: userId, details: {}, ...origin });
      });
    },

    async setAuthenticatorSecret(userId: string, secret: string): Promise<void> {
      await db.kysely.updateTable('users').set({ totp_secret_enc: crypto.encrypt(secret) }).where('id', '=', userId).execute();
    },

    async findByEmail(email: string): Promise<User | undefined> {
      const row = await findUserRowByEmail(db.kysely, crypto, email);
      return row ? toUser(crypto, row) : undefined;
    },

    async get(userId: string): Promise<User | undefined> {
      const row = await findUserRowById(db.kysely, userId);
      return row ? toUser(crypto, row) : undefined;
    },

    async listForOrganisation(organisationId: string | undefined): Promise<User[]> {
      let query = db.kysely.selectFrom('users').selectAll();
      if (organisationId) query = query.where('organisation_id', '=', organisationId);
      const rows = await query.execute();
      return rows.map((row) => toUser(crypto, row)).sort((a, b) => a.name.localeCompare(b.name));
    },

    async update(actor: Actor, userId: string, version: number, change: { roles?: readonly Role[]; status?: 'active' | 'disabled' }, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('users')
          .set({
            ...(change.roles ? { roles: JSON.stringify([...new Set(change.roles)]) } : {}),
            // Enabled again, an account whose invitation was never accepted is invited again, not active without a password.
            ...(change.status === 'disabled' ? { status: 'disabled' as const } : {}),
            ...(change.status === 'active' ? { status: sql<'active' | 'invited'>`case when password_hash is null then 'invited' else 'active' end` } : {}),
            version: version + 1,
            updated_at: nowIso(clock),
          })
          .where('id', '=', userId)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'user');
        if (change.status === 'disabled') await endSessionsOf(trx, userId);
        // Enabled again, the account starts afresh: a link sent before it was disabled (while disabled it said the
        // account cannot be used) does not work again; the administrator sends a new one.
        if (change.status === 'active') await deps.userTokens.expireUnusedWith(trx, userId);
        await audit.recordWith(trx, {
          action: change.status === 'disabled' ? 'USER_DISABLED' : change.status === 'active' ? 'USER_ENABLED' : 'USER_UPDATED',
          ...actedBy(actor),
          recordType: 'user',
          recordId: userId,
          details: change.roles ? { roles: change.roles.join(' ') } : {},
          ...origin,
        });
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;

export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl}/app/invitation/${token}`;
}

/** After an administrator reset someone's authenticator app: what happened and what to do, nothing else. */
function authenticatorResetEmail(baseUrl: string, to: string): OutgoingEmail {
  return {
    to: normaliseEmail(to),
    subject: 'Your authenticator app was reset on the Domestic Abuse Partnership Platform',
    body: `An administrator has reset the authenticator app on your account, and you have been signed out everywhere. Your old recovery codes no longer work.\n\nNext time you sign in, after your password you will be asked to set up your authenticator app again:\n${baseUrl}/app/sign-in\n\nIf you did not ask for this, tell your organisation administrator at once.`,
  };
}

/** The invitation email: a link and nothing else about the account, its roles or who sent it. */
function invitationEmail(baseUrl: string, to: string, { id, token, expiresAt }: IssuedLink): OutgoingEmail {
  return {
    to: normaliseEmail(to),
    sendBefore: expiresAt,
    linkTokenId: id,
    subject: 'You have been invited to the Domestic Abuse Partnership Platform',
    body: `You have been given an account on the Domestic Abuse Partnership Platform.\n\nTo create your password and set up your authenticator app, open this link within 7 days:\n${invitationLink(baseUrl, token)}\n\nIf you were not expecting this, tell your organisation administrator.`,
  };
}
