import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { cacheControlOf, contentTypeOf, SITE_DIR, uploadMaintenanceSite } from '../../../scripts/local/site';

const s3Mock = mockClient(S3Client);

function siteDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'maintenance-site-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function puts() {
  return s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

describe('uploadMaintenanceSite', () => {
  let dir: string;

  beforeEach(() => {
    s3Mock.reset();
    dir = siteDir({
      'index.html': '<!doctype html>',
      'shell.html': '{{reason}}',
      'style.css': 'body{}',
      'app.js': 'void 0',
      'img/logo.svg': '<svg/>',
      '.DS_Store': 'x',
    });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every file but the shell template under maintenance/, with type and cache lifetime', async () => {
    const uploaded = await uploadMaintenanceSite(new S3Client({ region: 'us-east-1' }), 'site-bucket', dir);

    const byKey = Object.fromEntries(
      puts().map(({ Key, Bucket, ContentType, CacheControl, Body }) => [
        Key,
        { Bucket, ContentType, CacheControl, Body: String(Body) },
      ]),
    );
    expect(Object.keys(byKey).sort()).toEqual([
      'maintenance/app.js',
      'maintenance/img/logo.svg',
      'maintenance/index.html',
      'maintenance/style.css',
    ]);
    expect(byKey['maintenance/index.html']).toEqual({
      Bucket: 'site-bucket',
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'public, max-age=60',
      Body: '<!doctype html>',
    });
    expect(byKey['maintenance/style.css']).toMatchObject({
      ContentType: 'text/css; charset=utf-8',
      CacheControl: 'public, max-age=300',
    });
    expect(byKey['maintenance/app.js']?.ContentType).toBe('text/javascript; charset=utf-8');
    expect(byKey['maintenance/img/logo.svg']?.ContentType).toBe('image/svg+xml');
    expect(uploaded.map((o) => o.key).sort()).toEqual(Object.keys(byKey).sort());
  });

  it('uploads the repository maintenance-site/ by default, without shell.html', async () => {
    await uploadMaintenanceSite(new S3Client({ region: 'us-east-1' }), 'site-bucket');

    const keys = puts().map((p) => p.Key);
    expect(SITE_DIR).toMatch(/maintenance-site$/);
    expect(keys).toContain('maintenance/index.html');
    expect(keys).not.toContain('maintenance/shell.html');
  });

  it('fails when S3 refuses a put', async () => {
    s3Mock.on(PutObjectCommand).rejects(new Error('AccessDenied'));

    await expect(uploadMaintenanceSite(new S3Client({ region: 'us-east-1' }), 'b', dir)).rejects.toThrow(
      'AccessDenied',
    );
  });
});

describe('contentTypeOf and cacheControlOf', () => {
  it.each([
    ['a.html', 'text/html; charset=utf-8'],
    ['a.CSS', 'text/css; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['favicon.ico', 'image/x-icon'],
    ['a.json', 'application/json'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['a.bin', 'application/octet-stream'],
  ])('gives %s the Content-Type %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });

  it('keeps HTML a minute and assets five minutes', () => {
    expect([cacheControlOf('index.html'), cacheControlOf('style.css'), cacheControlOf('a.png')]).toEqual([
      'public, max-age=60',
      'public, max-age=300',
      'public, max-age=300',
    ]);
  });
});
