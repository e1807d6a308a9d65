import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Where the page lives in the repository. */
export const SITE_DIR = resolve(__dirname, '..', '..', 'maintenance-site');
/** CloudFront's `/maintenance/*` behaviour forwards the path as it is, so the keys carry the same prefix. */
export const SITE_PREFIX = 'maintenance/';
/** Build inputs, not part of the page: shell.html is the template the WAF's inline body is rendered from. */
const NOT_UPLOADED = new Set(['shell.html']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

export interface UploadedObject {
  key: string;
  contentType: string;
  cacheControl: string;
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * HTML is short-lived, so a fixed page reaches visitors within a minute; assets are kept a little
 * longer. Both stay short: the page is only seen during an incident, when a stale copy hurts most.
 */
export function cacheControlOf(file: string): string {
  return extname(file).toLowerCase() === '.html' ? 'public, max-age=60' : 'public, max-age=300';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
    });
}

/**
 * Puts every file of the maintenance site (except the shell template) into `bucket` under `maintenance/`,
 * with its Content-Type and Cache-Control. Used by `npm start` (into the emulator) and by the deploy
 * plugin (plugins/upload-maintenance-site.cjs), so both serve the same objects.
 *
 * @example
 * await uploadMaintenanceSite(new S3Client({}), 'waf-maintenance-dev-site-123456789012');
 * // [{ key: 'maintenance/index.html', contentType: 'text/html; charset=utf-8', ... }, ...]
 */
export async function uploadMaintenanceSite(
  s3: S3Client,
  bucket: string,
  dir: string = SITE_DIR,
): Promise<UploadedObject[]> {
  const files = filesUnder(dir)
    .filter((file) => !NOT_UPLOADED.has(relative(dir, file)))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const object = {
        key: `${SITE_PREFIX}${relative(dir, file).split(sep).join('/')}`,
        contentType: contentTypeOf(file),
        cacheControl: cacheControlOf(file),
      };
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: readFileSync(file),
          ContentType: object.contentType,
          CacheControl: object.cacheControl,
        }),
      );
      return object;
    }),
  );
}
