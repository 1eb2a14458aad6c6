import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../../platform/http/errors.js';
import { originOfRequest } from '../../../platform/http/forms.js';
import type { Services } from '../../../services.js';
import { londonDay } from '../../../platform/time/london.js';
import { cautionsFor, postcodeListedIn } from '../cautions.js';
import type { ReferralOutcome } from '../outcome.js';
import { ReferralValidationError, type ReferralRules } from '../service.js';
import { apiBodyToInput, apiReferralSchema, pointerOf, problemErrors } from './schemas.js';
import { bodyHash, findIdempotent, IDEMPOTENCY_KEY_PATTERN, idempotentResponse } from './idempotency.js';
import type { ApiClient } from './keys-service.js';
import { openApiDocument } from './openapi.js';
import { RECORD_ID } from '../../../platform/db/ids.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner organisation whose API key authenticated this request. */
    apiClient: ApiClient | undefined;
  }
}

const PUBLIC = { access: 'public' as const };
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The partner API. Routes are 'public' to the session layer; this module's preHandler authenticates every call
 * with the organisation's API key (Authorization: Bearer ...). Answers are problem+json on every failure.
 */
export function registerReferralApi(app: FastifyInstance, services: Services): void {
  app.decorateRequest('apiClient', undefined);

  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const client = match?.[1] ? await services.apiKeys.authenticate(match[1]) : undefined;
    if (!client) {
      await services.audit.record({ action: 'API_KEY_REFUSED', outcome: 'denied', ...originOfRequest(request), details: { reason: match ? 'unknown_or_revoked' : 'missing', route: request.routeOptions.url ?? '' } });
      void reply.header('www-authenticate', 'Bearer realm="referrals"');
      const detail = match ? 'The API key is not recognised or has been revoked. Ask your organisation administrator for a current key.' : 'Send your organisation’s API key in the Authorization header: "Authorization: Bearer <key>".';
      return sendProblem(reply, 401, 'Not authenticated', detail, { errors: [{ header: 'Authorization', detail: match ? 'Unknown or revoked API key.' : 'Missing, or not in the form "Bearer <key>".' }] });
    }
    request.apiClient = client;
  }

  // Building the schema costs more than checking a body with it; it changes only when the districts do.
  let schema: { districts: string; schema: ReturnType<typeof apiReferralSchema> } | undefined;
  function referralSchema(rules: ReferralRules) {
    const codes = rules.districts.map((district) => district.code);
    const key = codes.join(',');
    if (schema?.districts !== key) schema = { districts: key, schema: apiReferralSchema(() => londonDay(services.clock()), new Set(codes)) };
    return schema.schema;
  }

  app.get('/api/v1/openapi.json', { config: PUBLIC }, (_request, reply) => reply.type('application/json').send(openApiDocument(services.config.baseUrl)));

  app.post('/api/v1/referrals', { config: PUBLIC, preHandler: authenticate }, async (request, reply) => {
    const client = request.apiClient;
    if (!client) return sendProblem(reply, 401, 'Not authenticated', 'Send an API key.');
    // Fastify would also read a text or form body; read as JSON fields, it would be refused field by field instead.
    if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      return sendProblem(reply, 415, 'Unsupported media type', 'Send the referral as JSON, with the header "Content-Type: application/json".', { errors: [{ header: 'Content-Type', detail: 'Must be application/json.' }] });
    }
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key))) {
      return sendProblem(reply, 400, 'Invalid Idempotency-Key header', 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.', { errors: [{ header: 'Idempotency-Key', detail: 'Use 1 to 200 visible ASCII characters, such as a UUID.' }] });
    }
    const hash = bodyHash(request.body);
    // Read once, beside the look-up of an earlier answer: the districts the body is checked against are those the
    // submission is routed by.
    const [earlier, rules] = await Promise.all([key ? earlierAnswer(client.organisationId, key, hash) : undefined, services.referrals.referralRules()]);
    if (earlier) return answerAgain(request, reply, earlier);
    const parsed = referralSchema(rules).safeParse(request.body);
    if (!parsed.success) return invalid(reply, problemErrors(parsed.error));
    const input = apiBodyToInput(parsed.data);
    const listedIn = await postcodeListedIn(input, (outward) => services.reference.getPostcodeDistrict(outward));
    // What the form's check page would point out, for the partner system to show whoever sent it.
    const answered = (outcome: ReferralOutcome) => ({ ...outcome, cautions: cautionsFor(input, outcome, rules, listedIn) });
    try {
      const outcome = await services.referrals.submit({ kind: 'api', organisationId: client.organisationId, apiKeyId: client.apiKeyId }, input, originOfRequest(request), {
        rules,
        ...(key ? { alsoWrite: (result) => idempotentResponse(services.crypto, { organisationId: client.organisationId, key, bodyHash: hash, statusCode: 201, response: JSON.stringify(answered(result)), at: services.clock().toISOString() }) } : {}),
      });
      return await reply.code(201).header('location', `/api/v1/referrals/${outcome.id}`).type('application/json').send(answered(outcome));
    } catch (error) {
      if (error instanceof ReferralValidationError) return invalid(reply, error.issues.map((issue) => ({ pointer: pointerOf(issue.path), detail: issue.message })));
      // Two identical requests at once: the second loses the race on the key and answers as a replay.
      const raced = key ? await earlierAnswer(client.organisationId, key, hash) : undefined;
      if (raced) return answerAgain(request, reply, raced);
      throw error;
    }
  });

  app.get('/api/v1/referrals/:id', { config: PUBLIC, preHandler: authenticate }, async (request, reply) => {
    const client = request.apiClient;
    if (!client) return sendProblem(reply, 401, 'Not authenticated', 'Send an API key.');
    const { id } = request.params as { id: string };
    if (!RECORD_ID.test(id)) return sendProblem(reply, 400, 'Not a referral id', 'A referral id is the "id" a referral was answered with: a UUID.', { errors: [{ parameter: 'id', detail: 'Must be a UUID.' }] });
    const outcome = await services.referrals.outcomeForOrganisation(client.organisationId, client.apiKeyId, id.toLowerCase(), originOfRequest(request));
    if (!outcome) return sendProblem(reply, 404, 'Not found', 'There is no referral with this id made by your organisation.');
    return reply.type('application/json').send(outcome);
  });

  /** What was answered before under this Idempotency-Key: the same response again, or a conflict. */
  async function earlierAnswer(organisationId: string, key: string, hash: string): Promise<EarlierAnswer | undefined> {
    const stored = await findIdempotent(services.db.kysely, services.crypto, organisationId, key);
    if (!stored) return undefined;
    return stored.body_hash === hash ? { kind: 'replay', status: stored.status_code, body: stored.response } : { kind: 'conflict' };
  }

  /** The answer given before under this Idempotency-Key (its reading audited), or the conflict. */
  async function answerAgain(request: FastifyRequest, reply: FastifyReply, earlier: EarlierAnswer) {
    if (earlier.kind === 'conflict') {
      return sendProblem(reply, 422, 'Idempotency-Key already used for a different request', 'This Idempotency-Key header was first sent with a different body. Use a new Idempotency-Key for a new referral, or resend the original body unchanged.', {
        errors: [{ header: 'Idempotency-Key', detail: 'Already used with a different body.' }],
      });
    }
    const { id } = JSON.parse(earlier.body) as { id: string };
    const client = request.apiClient;
    if (client) await services.referrals.recordReplayed(client.organisationId, client.apiKeyId, id, originOfRequest(request));
    return reply.code(earlier.status).header('idempotent-replayed', 'true').header('location', `/api/v1/referrals/${id}`).type('application/json').send(earlier.body);
  }
}

type EarlierAnswer = { readonly kind: 'replay'; readonly status: number; readonly body: string } | { readonly kind: 'conflict' };

function invalid(reply: FastifyReply, errors: Array<{ pointer: string; detail: string }>) {
  return sendProblem(reply, 422, 'The referral has problems', `${String(errors.length)} ${errors.length === 1 ? 'field needs' : 'fields need'} correcting; nothing was saved.`, { errors });
}
