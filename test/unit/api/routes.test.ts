import { API, allowedMethods, fillPath, type Route } from '../../../src/api/routes';

describe('allowedMethods', () => {
  it('lists the methods the description serves on a path, in its order', () => {
    expect(allowedMethods('/maintenance')).toEqual(['GET', 'POST']);
    expect(allowedMethods('/maintenance/bypass')).toEqual(['GET', 'POST']);
    expect(allowedMethods('/slack/command')).toEqual(['POST']);
  });

  it('lists nothing for a path no route has, a trailing slash or a prefix', () => {
    expect(allowedMethods('/nope')).toEqual([]);
    expect(allowedMethods('/maintenance/')).toEqual([]);
    expect(allowedMethods('/maintenance/bypass/x')).toEqual([]);
    expect(allowedMethods('/')).toEqual([]);
  });

  describe('with a route that has a path parameter', () => {
    const routes: Route[] = Object.values(API);

    it('matches any one non-empty segment in its place', () => {
      expect(allowedMethods('/maintenance/windows/w-123', routes)).toEqual(['DELETE']);
      expect(allowedMethods('/maintenance/windows', routes)).toEqual(['POST', 'GET']);
    });

    it('matches no empty segment and no further segments', () => {
      expect(allowedMethods('/maintenance/windows/', routes)).toEqual([]);
      expect(allowedMethods('/maintenance/windows/w-123/x', routes)).toEqual([]);
    });
  });
});

describe('fillPath', () => {
  it('leaves a path without parameters as it is', () => {
    expect(fillPath(API.getBypass.path, {})).toBe('/maintenance/bypass');
  });

  it('fills each parameter, percent-encoded', () => {
    expect(fillPath('/maintenance/windows/{id}', { id: 'a b/c' })).toBe('/maintenance/windows/a%20b%2Fc');
  });

  it('throws when a parameter has no value', () => {
    expect(() => fillPath('/maintenance/windows/{id}', { id: '' })).toThrow(/needs a value for \{id\}/);
  });
});
