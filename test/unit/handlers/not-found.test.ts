import { handler } from '../../../handlers/not-found';
import { httpEvent, invoke } from '../../support/events';

describe('the $default route', () => {
  it('answers 404 problem+json for an unknown path', async () => {
    const res = await invoke(handler, httpEvent({ path: '/nope' }));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const res = await invoke(handler, httpEvent({ method: 'DELETE', path: '/maintenance' }));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
  });

  it('answers 405 with the methods of the Slack route too', async () => {
    const res = await invoke(handler, httpEvent({ method: 'GET', path: '/slack/command' }));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toMatchObject({ status: 405, detail: 'GET is not allowed on /slack/command.' });
  });
});
