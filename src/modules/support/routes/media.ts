import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';
import type { RouteAccess } from '../../../platform/http/types.js';
import type { VideoRow, VideoService } from '../video-service.js';

const MEDIA_FILE = /^([a-z0-9-]+)\.(mp4|en\.vtt)$/;

/**
 * A video and its captions at `<prefix>/<slug>.mp4` and `<prefix>/<slug>.en.vtt`: the public site's (only videos a
 * published page shows) or the editors' preview of a draft (any video).
 */
export function registerMediaRoute(app: FastifyInstance, videos: VideoService, prefix: string, access: RouteAccess): void {
  const audience = access === 'public' ? 'public' : 'staff';
  app.get(`${prefix}/:file`, { config: { access } }, async (request, reply) => {
    const match = MEDIA_FILE.exec((request.params as { file?: string }).file ?? '');
    const video = match?.[1] ? await videos.playable(match[1], audience) : undefined;
    if (!match || !video) {
      reply.callNotFound();
      return reply;
    }
    // Like the pages, kept out of the browser's cache: a stored copy would show someone had watched it.
    reply.header('Cache-Control', 'no-store');
    if (match[2] === 'en.vtt') return reply.type('text/vtt; charset=utf-8').send(await videos.captions(video));
    return sendVideo(request, reply, videos, video);
  });
}

/** The whole file, or the one part a player asks for (Safari plays nothing from a server that cannot send parts). */
function sendVideo(request: FastifyRequest, reply: FastifyReply, videos: VideoService, video: VideoRow) {
  const etag = `"${video.sha256}"`;
  reply.header('Accept-Ranges', 'bytes').header('ETag', etag);
  const ifRange = request.headers['if-range'];
  const asked = request.headers.range !== undefined && (ifRange === undefined || ifRange === etag) ? parseRange(video.size, request.headers.range, { combine: true }) : undefined;
  if (asked === -1) return reply.code(416).header('Content-Range', `bytes */${String(video.size)}`).send();
  const one = Array.isArray(asked) && asked.type === 'bytes' && asked.length === 1 ? asked[0] : undefined;
  // No range, one that cannot be read, or several: the whole file, as HTTP allows.
  const part = one ?? { start: 0, end: video.size - 1 };
  if (one) reply.code(206).header('Content-Range', `bytes ${String(part.start)}-${String(part.end)}/${String(video.size)}`);
  // HEAD gets the headers alone: Fastify would otherwise read the whole file from the database to throw it away.
  const body = request.method === 'HEAD' ? Readable.from([]) : Readable.from(videos.bytes(video, part.start, part.end));
  return reply.type('video/mp4').header('Content-Length', part.end - part.start + 1).send(body);
}
