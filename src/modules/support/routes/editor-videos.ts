import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import { languageOf, type LanguageCode } from '../../../platform/i18n/translator.js';
import type { Services } from '../../../services.js';
import { ConfidentialAddressInText } from '../confidential-text.js';
import { videoUploadForm } from '../schemas.js';
import { CAPTIONS_MAX_BYTES } from '../video-files.js';
import { singleError } from '../../../platform/views/form-errors.js';
import type { VideoUse } from '../video-service.js';
import { confidentialErrors, editorOf, idParam, noticeFrom } from './common.js';
import { registerMediaRoute } from './media.js';
import { MULTIPART_OPTIONS, readUpload, UploadSlots } from './upload-body.js';

const access = { access: 'content.manage' } as const;

const BUSY = 'Another video is being uploaded. Wait a few minutes until it has finished, then select your files and upload them again';

const NOTICES = {
  uploaded: 'The video is uploaded. To put it on the site, choose it on the page that shows it, preview the page and publish it.',
  deleted: 'The video is deleted.',
};

/** /app/content/videos: the videos pages can show (the BSL page's), uploaded with their captions. */
export async function registerVideoEditor(app: FastifyInstance, services: Services): Promise<void> {
  const { videos } = services.support;
  const maxMegabytes = services.config.VIDEO_UPLOAD_MAX_MB;
  const uploadForm = videoUploadForm(maxMegabytes);

  app.get('/app/content/videos', { config: access }, async (request, reply) =>
    reply.render('support/editor/videos.njk', {
      title: 'Videos',
      videos: (await videos.listForEditors()).map((video) => ({ ...video, sizeText: sizeText(video.size), uses: video.uses.map(describeUse) })),
      notice: noticeFrom(request, NOTICES),
    }),
  );

  app.get('/app/content/videos/new', { config: access }, (_request, reply) => reply.render('support/editor/video-new.njk', { title: 'Upload a video', values: {}, maxMegabytes }));

  const context = { title: 'Upload a video', maxMegabytes };
  const shape = { fields: ['_csrf', 'description'], files: { video: maxMegabytes * 1024 * 1024, captions: CAPTIONS_MAX_BYTES } };
  // One at a time: each is held in memory as it arrives. 20 minutes brings 100 MB over a slow line (1 Mbit/s).
  const slots = new UploadSlots(1, 20 * 60_000);
  // Only this route reads multipart bodies: everywhere else such a body is refused unread.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, MULTIPART_OPTIONS);
    // Read before the form token is checked: the sender's session and permission already were (accessBeforeBody).
    uploads.addHook('preValidation', async (request, reply) => {
      if (!request.isMultipart()) return;
      if (!slots.take(request, reply)) {
        return reply.code(503).header('retry-after', '60').render('support/editor/video-new.njk', { ...context, values: {}, errors: singleError('video', BUSY) });
      }
      const read = await readUpload(request, shape);
      if (read.problem) return reply.renderForm('support/editor/video-new.njk', singleError('video', read.problem), { ...context, values: { description: read.body['description'] } });
      request.body = read.body;
      return undefined;
    });
    uploads.post('/app/content/videos/new', { config: { ...access, accessBeforeBody: true } }, async (request, reply) => {
      const form = parseForm(uploadForm, request);
      if (!form.ok) return reply.renderForm('support/editor/video-new.njk', form.errors, { ...context, values: { description: form.values['description'] } });
      const { description, video, captions } = form.data;
      try {
        await videos.upload(editorOf(request), { description, fileName: video.fileName, file: video, captions }, originOfRequest(request));
      } catch (error) {
        if (!(error instanceof ConfidentialAddressInText)) throw error;
        return reply.renderForm('support/editor/video-new.njk', confidentialErrors(error), { ...context, values: { description } });
      }
      return reply.redirect('/app/content/videos?notice=uploaded', 303);
    });
  });

  app.get('/app/content/videos/:id/delete', { config: access }, async (request, reply) => {
    const { video, uses } = await videos.forEditing(idParam(request, 'id'));
    return reply.render('support/editor/video-delete.njk', { title: 'Delete a video', video, uses: uses.map(describeUse) });
  });

  app.post('/app/content/videos/:id/delete', { config: access }, async (request, reply) => {
    await videos.remove(editorOf(request), idParam(request, 'id'), originOfRequest(request));
    return reply.redirect('/app/content/videos?notice=deleted', 303);
  });

  registerMediaRoute(app, videos, '/app/content/media', 'content.manage');
}

/** Where a video is shown, in words for the editors' lists. */
function describeUse(use: VideoUse) {
  return { href: `/app/content/pages/${use.pageId}`, text: `${use.title} (${languageOf(use.lang as LanguageCode).englishName}, ${use.state === 'live' ? 'published' : 'draft'})` };
}

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${String(Math.ceil(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
