import { resolveStartOptions, UsageError } from '../../../scripts/local/options';

describe('resolveStartOptions', () => {
  it('defaults to stage dev, API on 3000, the edge on 8080 before a sample site, moto on 4566, no emulator given', () => {
    expect(resolveStartOptions([], {})).toEqual({
      stage: 'dev',
      httpPort: 3000,
      motoPort: 4566,
      edgePort: 8080,
      originUrl: undefined,
      endpointUrl: undefined,
    });
  });

  it('takes the stage from --stage before MAINTENANCE_STAGE', () => {
    const env = { MAINTENANCE_STAGE: 'fromenv' };
    expect(resolveStartOptions(['--stage', 'fromarg'], env).stage).toBe('fromarg');
    expect(resolveStartOptions(['--stage=inline'], env).stage).toBe('inline');
    expect(resolveStartOptions([], env).stage).toBe('fromenv');
  });

  it('reads PORT, MOTO_PORT and AWS_ENDPOINT_URL', () => {
    const env = { PORT: '3100', MOTO_PORT: '5000', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' };
    expect(resolveStartOptions([], env)).toMatchObject({
      httpPort: 3100,
      motoPort: 5000,
      endpointUrl: 'http://127.0.0.1:5000',
    });
  });

  it('reads EDGE_PORT and ORIGIN_URL', () => {
    const env = { EDGE_PORT: '8181', ORIGIN_URL: 'http://127.0.0.1:5173/app' };
    expect(resolveStartOptions([], env)).toMatchObject({
      edgePort: 8181,
      originUrl: 'http://127.0.0.1:5173/app',
    });
    expect(resolveStartOptions([], { ORIGIN_URL: '' }).originUrl).toBeUndefined();
  });

  it.each([
    [['--stage'], {}],
    [['--stage', '--other'], {}],
    [['--stage', 'bad stage'], {}],
    [[], { MAINTENANCE_STAGE: 'under_score' }],
    [[], { PORT: 'http' }],
    [[], { PORT: '70000' }],
    [[], { MOTO_PORT: '0' }],
    [[], { EDGE_PORT: '8080x' }],
    [[], { EDGE_PORT: '3000' }],
    [[], { PORT: '8181', EDGE_PORT: '8181' }],
    [[], { ORIGIN_URL: '127.0.0.1:5173' }],
    [[], { ORIGIN_URL: 'ftp://127.0.0.1/' }],
    [[], { ORIGIN_URL: 'http://127.0.0.1:5173/?x=1' }],
  ])('refuses %j with %j as a usage error', (argv, env) => {
    expect(() => resolveStartOptions(argv, env)).toThrow(UsageError);
  });
});
