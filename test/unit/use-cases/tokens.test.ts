import { hashToken, isWellFormedToken } from '../../../src/domain/api-token';
import {
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  ValidationError,
} from '../../../src/domain/errors';
import { authenticate } from '../../../src/use-cases/authenticate';
import { mintToken } from '../../../src/use-cases/mint-token';
import { FakeClock, InMemoryTokenRegistry } from '../../support/fakes';

describe('mintToken', () => {
  it('returns a 256-bit token once and stores only its hash', async () => {
    const tokens = new InMemoryTokenRegistry();
    const { token, role } = await mintToken(
      { tokens, clock: new FakeClock() },
      { name: 'ci', role: 'operator' },
    );
    expect(isWellFormedToken(token)).toBe(true);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(role).toBe('operator');
    const [stored] = await tokens.list();
    expect(stored).toEqual({
      name: 'ci',
      role: 'operator',
      hash: hashToken(token),
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('mints a different token each time', async () => {
    const deps = { tokens: new InMemoryTokenRegistry(), clock: new FakeClock() };
    const a = await mintToken(deps, { name: 'a', role: 'admin' });
    const b = await mintToken(deps, { name: 'b', role: 'admin' });
    expect(a.token).not.toBe(b.token);
  });

  it.each([
    [{ name: '', role: 'operator' }, 'name'],
    [{ name: 'has space', role: 'operator' }, 'name'],
    [{ name: 'ok', role: 'root' }, 'role'],
  ])('refuses %j', async (input, field) => {
    const run = mintToken({ tokens: new InMemoryTokenRegistry(), clock: new FakeClock() }, input);
    await expect(run).rejects.toMatchObject({ errors: [expect.objectContaining({ field })] });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a name that is taken', async () => {
    const deps = { tokens: new InMemoryTokenRegistry(), clock: new FakeClock() };
    await mintToken(deps, { name: 'ci', role: 'operator' });
    await expect(mintToken(deps, { name: 'ci', role: 'admin' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('authenticate', () => {
  const tokens = new InMemoryTokenRegistry();
  const operator = tokens.add(`wmt_${'o'.repeat(43)}`, 'ops', 'operator');
  const admin = tokens.add(`wmt_${'a'.repeat(43)}`, 'boss', 'admin');

  it('resolves a known token to its principal', async () => {
    await expect(authenticate({ tokens }, { token: operator, required: 'operator' })).resolves.toEqual({
      name: 'ops',
      role: 'operator',
    });
  });

  it('compares the full hash: a token filed under the same lookup key but with another hash is refused', async () => {
    const registry = new InMemoryTokenRegistry();
    const real = `wmt_${'r'.repeat(43)}`;
    const hash = hashToken(real);
    registry.byHash.set(hash, {
      name: 'real',
      role: 'admin',
      hash: `${hash.slice(0, 16)}${'0'.repeat(48)}`,
      createdAt: 'x',
    });
    await expect(
      authenticate({ tokens: registry }, { token: real, required: 'operator' }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('lets an admin do what an operator can', async () => {
    await expect(authenticate({ tokens }, { token: admin, required: 'operator' })).resolves.toMatchObject({
      name: 'boss',
    });
  });

  it('refuses an operator where admin is required', async () => {
    await expect(authenticate({ tokens }, { token: operator, required: 'admin' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it.each([undefined, '', 'nonsense', `wmt_${'x'.repeat(43)}`, `${operator}x`])(
    'refuses %p as unauthenticated',
    async (token) => {
      await expect(authenticate({ tokens }, { token, required: 'operator' })).rejects.toBeInstanceOf(
        UnauthenticatedError,
      );
    },
  );
});
