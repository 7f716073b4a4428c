import { type CreateOnceHooks, type CreateOnceShortcut, createOnce } from '../../../src/create-once/create-once.ts';

interface Thing {
  id: string;
  version: number;
}

/** Hooks over an in-memory store that note every call, so the lifecycle's order can be read back. */
function storeHooks(store: Map<string, Thing>, key: string, calls: string[]): CreateOnceHooks<Thing> {
  return {
    async find() {
      calls.push('find');
      return store.get(key);
    },
    async create() {
      calls.push('create');
      const made = { id: `thing-${store.size + 1}`, version: 1 };
      store.set(key, made);
      return made;
    },
    async record(created) {
      calls.push(`record ${created.id}`);
      created.version = 2;
    },
  };
}

describe('createOnce', () => {
  it('returns what find found as existing, and neither creates nor records', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map([['a', { id: 'thing-0', version: 2 }]]);

    // Act
    const result = await createOnce(storeHooks(store, 'a', calls));

    // Assess
    expect(result).toEqual({ status: 'existing', resource: { id: 'thing-0', version: 2 } });
    expect(calls).toEqual(['find']);
  });

  it('creates when find found nothing, then records what it created', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map<string, Thing>();

    // Act
    const result = await createOnce(storeHooks(store, 'a', calls));

    // Assess
    expect(result).toEqual({ status: 'created', resource: { id: 'thing-1', version: 2 } });
    expect(calls).toEqual(['find', 'create', 'record thing-1']);
  });

  it('creates nothing the second time for the same request', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map<string, Thing>();

    // Act
    const first = await createOnce(storeHooks(store, 'a', calls));
    const second = await createOnce(storeHooks(store, 'a', calls));

    // Assess
    expect(first.status).toBe('created');
    expect(second).toEqual({ status: 'existing', resource: first.resource });
    expect(calls).toEqual(['find', 'create', 'record thing-1', 'find']);
  });

  it('lets a failed find out unchanged and creates nothing', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map<string, Thing>();
    const failure = Object.assign(new Error('rate exceeded'), { name: 'RequestLimitExceeded' });
    const hooks = { ...storeHooks(store, 'a', calls), find: () => Promise.reject(failure) };

    // Act
    const act = createOnce(hooks);

    // Assess
    await expect(act).rejects.toBe(failure);
    expect(calls).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('lets a failed create out unchanged and records nothing', async () => {
    // Prepare
    const calls: string[] = [];
    const failure = Object.assign(new Error('gateway offline'), { name: 'InvalidGatewayRequestException' });
    const hooks = { ...storeHooks(new Map(), 'a', calls), create: () => Promise.reject(failure) };

    // Act
    const act = createOnce(hooks);

    // Assess
    await expect(act).rejects.toBe(failure);
    expect(calls).toEqual(['find']);
  });

  it('lets a failed record out, and a run again finds what was created instead of creating it twice', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map<string, Thing>();
    const failure = Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    const failingRecord = { ...storeHooks(store, 'a', calls), record: () => Promise.reject(failure) };

    // Act
    const first = createOnce(failingRecord);
    await expect(first).rejects.toBe(failure);
    const again = await createOnce(storeHooks(store, 'a', calls));

    // Assess
    expect(again).toEqual({ status: 'existing', resource: { id: 'thing-1', version: 1 } });
    expect(calls).toEqual(['find', 'create', 'find']);
  });
});

describe('createOnce with a shortcut', () => {
  /** A shortcut over an in-memory mark: `open` holds when an earlier attempt may have made the thing. */
  function shortcut(seenAbsent: boolean, mark: { open?: number }, calls: string[]): CreateOnceShortcut {
    return {
      seenAbsent,
      async begin() {
        calls.push('begin');
        const earlier = mark.open === undefined ? undefined : { at: mark.open };
        mark.open = 1;
        return earlier;
      },
      async failed() {
        calls.push('failed');
      },
    };
  }

  it('leaves find out when the read showed nothing and no attempt was marked', async () => {
    // Prepare
    const calls: string[] = [];

    // Act
    const result = await createOnce(storeHooks(new Map(), 'a', calls), shortcut(true, {}, calls));

    // Assess
    expect(result.status).toBe('created');
    expect(calls).toEqual(['begin', 'create', 'record thing-1']);
  });

  it('finds what an earlier, marked attempt made instead of making it again', async () => {
    // Prepare
    const calls: string[] = [];
    const store = new Map([['a', { id: 'thing-0', version: 2 }]]);

    // Act
    const result = await createOnce(storeHooks(store, 'a', calls), shortcut(true, { open: 0 }, calls));

    // Assess
    expect(result).toEqual({ status: 'existing', resource: { id: 'thing-0', version: 2 } });
    expect(calls).toEqual(['begin', 'find']);
  });

  it('runs find when the read could not tell, and tells the shortcut of a failed create', async () => {
    // Prepare
    const calls: string[] = [];
    const hooks = { ...storeHooks(new Map(), 'a', calls), create: () => Promise.reject(new Error('refused')) };

    // Act
    const error = await createOnce(hooks, shortcut(false, {}, calls)).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ message: 'refused' });
    expect(calls).toEqual(['begin', 'find', 'failed']);
  });
});
