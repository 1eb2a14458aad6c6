import { DASH_KEYS } from '../checklist.js';
import { LAWFUL_BASES, values } from '../options.js';
import { NEEDS } from '../rules/schema.js';
import { CRITERIA, ROUTE_KINDS, ROUTE_STATUSES } from '../tables.js';
import { DECLINE_REASONS, OUTCOMES } from '../inbox/options.js';

const date = { type: 'string', format: 'date', description: 'YYYY-MM-DD, today or earlier' };
const codeAndText = (options: ReadonlyArray<{ readonly value: string }>) => ({ type: 'object', properties: { code: { type: 'string', enum: options.map((option) => option.value) }, text: { type: 'string' } } });
const criterion = {
  type: 'object',
  properties: {
    criterion: {
      type: 'string',
      enum: [...CRITERIA],
      description:
        'suicide_self_harm is the MARAC area\'s local criterion as a whole (Kent and Medway: current abuse with a high risk of serious harm from the person causing harm, or of suicide or self-harm because of the abuse): the explanation says which the referrer judged. The code keeps its first name so that partner systems reading it go on working.',
    },
    label: { type: 'string' },
    explanation: { type: 'string' },
  },
};
const person = (lastNameRequired: boolean) => ({
  type: 'object',
  additionalProperties: false,
  required: lastNameRequired ? ['firstName', 'lastName'] : ['firstName'],
  properties: {
    firstName: { type: 'string', maxLength: 100 },
    lastName: { type: 'string', maxLength: 100 },
    dateOfBirth: date,
    postcode: { type: 'string', description: 'A full UK postcode', examples: ['ME4 4TR'] },
    phone: { type: 'string', description: 'A UK phone number' },
  },
});

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          pointer: { type: 'string', description: 'JSON pointer (RFC 6901) to the field in the request body' },
          header: { type: 'string', description: 'The request header concerned' },
          detail: { type: 'string' },
        },
      },
    },
  },
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The partner API described as OpenAPI 3.1, served at /api/v1/openapi.json. */
export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kent and Medway domestic abuse referrals API',
      version: '1.0.0',
      description:
        'Partner systems send referrals of people at risk of domestic abuse. Each referral is scored on the DASH risk checklist, checked against the MARAC criteria for its area, and routed to receiving services. The response says which criteria were met and which rules chose each route. Authenticate with your organisation’s API key. Never send real data to a demo or test site.',
    },
    servers: [{ url: baseUrl }],
    security: [{ apiKey: [] }],
    paths: {
      '/api/v1/referrals': {
        post: {
          operationId: 'createReferral',
          summary: 'Make a referral',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 1, maxLength: 200 },
              description: 'Makes a retry safe: the same key with the same body returns the first response (with Idempotent-Replayed: true); the same key with a different body is refused with 422.',
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralRequest' } } } },
          responses: {
            '201': { description: 'Referral made and routed', headers: { Location: { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralOutcome' } } } },
            '400': problemResponse('Malformed JSON or a malformed Idempotency-Key header'),
            '401': problemResponse('Missing, unknown or revoked API key'),
            '415': problemResponse('The body is not application/json'),
            '422': problemResponse('A field is invalid (each named by a JSON pointer), or the Idempotency-Key was used with a different body; nothing was saved'),
            '429': problemResponse('Too many requests'),
          },
        },
      },
      '/api/v1/referrals/{id}': {
        get: {
          operationId: 'getReferral',
          summary: 'Read the outcome of a referral your organisation made',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The referral’s outcome, with the current status of each route', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralOutcome' } } } },
            '401': problemResponse('Missing, unknown or revoked API key'),
            '404': problemResponse('No referral with this id was made by your organisation'),
          },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key issued to your organisation (starts "dapk_").' } },
      schemas: {
        Problem: problem,
        ReferralRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['person', 'personCausingHarm', 'district', 'dash', 'professionalJudgement'],
          properties: {
            person: { ...person(true), description: 'The person at risk' },
            personCausingHarm: person(false),
            district: { type: 'string', description: 'Area code of the district the person lives in, e.g. "maidstone" or "medway"' },
            dash: {
              type: 'object',
              additionalProperties: false,
              required: DASH_KEYS,
              description: 'DASH risk checklist answers. Only "yes" counts towards the score; "not_known" is kept and never read as "no".',
              properties: Object.fromEntries(DASH_KEYS.map((key) => [key, { type: 'string', enum: ['yes', 'no', 'not_known'] }])),
            },
            professionalJudgement: {
              type: 'object',
              additionalProperties: false,
              required: ['applies'],
              properties: { applies: { type: 'boolean' }, reasons: { type: 'string', description: 'Required when applies is true' } },
            },
            seriousHarmRisk: {
              type: 'string',
              enum: ['yes', 'no', 'not_known'],
              description:
                'The referrer\'s judgement: is the person at high risk of serious harm from the person causing harm? Where the MARAC area uses its local criterion (Kent and Medway do: "current abuse with high risk of harm from the perpetrator or of suicide or self-harm because of the abuse"), "yes" with current abuse meets it. Left out, the judgement is recorded as not given.',
            },
            suicideSelfHarmRisk: {
              type: 'string',
              enum: ['yes', 'no', 'not_known'],
              description:
                'The referrer\'s judgement: is the person at high risk of suicide or self-harm because of the abuse? Where the MARAC area uses its local criterion (Kent and Medway do), "yes" with current abuse meets it, as seriousHarmRisk does. A checklist "yes" to q5 (depressed or suicidal thoughts) prompts the question but does not answer it. Left out, the judgement is recorded as not given.',
            },
            recentIncidentDates: { type: 'array', items: date, description: 'Dates of known domestic abuse incidents (not only police call-outs). Give each incident, two on the same day included. For potential escalation they are counted with the dates on earlier referrals about the same person at risk, whoever caused the harm: a date this referral also gives, or that two earlier referrals gave, counts once.' },
            children: {
              type: 'array',
              description: 'Children (under 18 on the day of the referral) in the household. Omit if not known; an empty list means none. A son or daughter of 18 or over is refused: they are an adult, for adults’ services.',
              items: { type: 'object', additionalProperties: false, required: ['firstName'], properties: { firstName: { type: 'string' }, lastName: { type: 'string' }, dateOfBirth: date } },
            },
            needs: { type: 'array', items: { type: 'string', enum: [...NEEDS] }, description: 'Needs that add routes (housing, adult safeguarding, safe accommodation) or choose a specialist service' },
            consent: {
              type: 'object',
              additionalProperties: false,
              required: ['status'],
              properties: { status: { type: 'string', enum: ['given', 'not_given', 'not_asked'] }, lawfulBasis: { type: 'string', enum: values(LAWFUL_BASES), description: 'Required unless consent was given' } },
            },
          },
        },
        ReferralOutcome: {
          type: 'object',
          required: ['id', 'reference', 'submittedAt', 'district', 'score', 'riskLevel', 'maracCriteriaMet', 'referredToMarac', 'criteriaMet', 'criteriaNotMet', 'ruleSet', 'routes', 'recentReferral'],
          properties: {
            id: { type: 'string' },
            reference: { type: 'string', description: 'Short reference to quote on the phone' },
            submittedAt: { type: 'string', format: 'date-time' },
            district: { type: 'string' },
            score: { type: 'integer', description: 'Number of "yes" answers' },
            riskLevel: { type: 'string', enum: ['standard', 'medium', 'high'] },
            maracCriteriaMet: { type: 'boolean', description: 'Whether at least one MARAC criterion is met (the criteria are in criteriaMet); the risk is then high' },
            referredToMarac: { type: 'boolean', description: 'Whether the referral goes to MARAC: a criterion is met and the routing rules in use send it there. The rules as seeded do not for a person at risk under 16, whose safety children’s safeguarding leads' },
            criteriaMet: { type: 'array', items: criterion, description: 'The MARAC criteria met, each with why' },
            criteriaNotMet: { type: 'array', items: criterion, description: 'The MARAC criteria the routing rules weighed and this referral did not meet, each with why (empty for referrals sent before 5 December 2026)' },
            ruleSet: { type: 'object', properties: { maracArea: { type: 'string' }, version: { type: 'integer' } }, description: 'The version of the routing rules used' },
            routes: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  kind: { type: 'string', enum: [...ROUTE_KINDS] },
                  kindLabel: { type: 'string' },
                  organisation: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
                  status: { type: 'string', enum: [...ROUTE_STATUSES] },
                  rulesFired: {
                    type: 'array',
                    items: { type: 'object', properties: { ruleId: { type: 'string' }, summary: { type: 'string' }, because: { type: 'array', items: { type: 'string' } } } },
                  },
                  declineReason: { oneOf: [{ type: 'null' }, codeAndText(DECLINE_REASONS)], description: 'Why the organisation declined it, from its list of reasons; null unless declined' },
                  passedOnTo: { type: ['string', 'null'], description: 'The organisation it was passed on to when this one declined it, if it was' },
                  serviceOutcome: { oneOf: [{ type: 'null' }, codeAndText(OUTCOMES)], description: 'What the service recorded: engaged with support, declined support, unable to contact, or closed after support' },
                },
              },
            },
            recentReferral: {
              oneOf: [{ type: 'null' }, { type: 'object', properties: { contact: { type: 'string', description: 'The organisation to contact about a recent referral of the same person' } } }],
            },
            cautions: {
              type: 'array',
              items: { type: 'string' },
              description:
                'Only in the answer to POST: answers to look at again, each saying what to do, as the practitioner form shows them before sending (a standalone indicator of high risk answered “yes” below every criterion with no professional judgement, a postcode outside Kent and Medway or listed in another district than the one given, no safe way to reach the person, children in the household not known, sharing without consent below high risk). None stopped the referral; show them to whoever sent it.',
            },
          },
        },
      },
    },
  };
}
