import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';

export interface KeyMaterial {
  /** Encryption keys by id; the first one listed encrypts new values, every one decrypts. */
  readonly encryptionKeys: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;
  /** Blind index keys; the first one indexes new values, every one is matched (so the key can rotate). */
  readonly blindIndexKeys: readonly Buffer[];
}

/** Works out blind indexes under one key: the current one for writing, each configured one for matching. */
export interface BlindIndexer {
  blindIndex(purpose: string, normalisedValue: string): string;
}

function blindIndexUnder(key: Buffer, purpose: string, normalisedValue: string): string {
  return createHmac('sha256', key).update(`${purpose}\u0000${normalisedValue}`).digest('base64url');
}

const FORMAT = 'e1';

/** Stored fields are bound to their key id; sealed values to their purpose as well. */
function additionalData(keyId: string, purpose: string): Buffer {
  return Buffer.from(purpose ? `${keyId}\u0000${purpose}` : keyId);
}

/** AES-256-GCM for identifying fields, with the key id stored beside each value so keys can rotate. */
export class FieldCrypto implements BlindIndexer {
  private readonly keysById: Map<string, Buffer>;

  /**
   * `reload` re-reads the embedded key file, which `rotate-keys` may change while the service runs: when a stored value
   * names an encryption key this process has not seen, and before matching on blind indexes (see blindIndexers).
   */
  constructor(
    private readonly material: KeyMaterial,
    private readonly reload?: () => KeyMaterial,
  ) {
    if (material.encryptionKeys.length === 0) throw new Error('At least one encryption key is needed.');
    for (const { id, key } of material.encryptionKeys) {
      if (key.length !== 32) throw new Error(`Encryption key "${id}" must be 32 bytes.`);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Encryption key id "${id}" may use only letters, digits, - and _.`);
    }
    if (material.blindIndexKeys.length === 0) throw new Error('At least one blind index key is needed.');
    if (material.blindIndexKeys.some((key) => key.length !== 32)) throw new Error('Each blind index key must be 32 bytes.');
    this.keysById = new Map(material.encryptionKeys.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: string): string {
    return this.encryptBoundTo(plain, '');
  }

  decrypt(stored: string): string {
    return this.decryptBoundTo(stored, '');
  }

  /**
   * A value the browser carries for us and hands back (a form's hidden field, a cookie, a search in an address): only
   * this service can read it, nobody can alter it, and it opens only for the purpose it was sealed for, so a stored
   * field's ciphertext pasted in its place is refused rather than decrypted and shown.
   */
  seal(purpose: string, plain: string): string {
    // Without a purpose a sealed value would be a stored field's twin, and open wherever one does.
    if (!purpose) throw new Error('A sealed value needs a purpose.');
    return this.encryptBoundTo(plain, purpose);
  }

  /** The sealed text, or undefined for anything this service did not seal for this purpose. */
  unseal(purpose: string, sealed: string): string | undefined {
    if (!purpose) return undefined;
    try {
      return this.decryptBoundTo(sealed, purpose);
    } catch {
      return undefined;
    }
  }

  private encryptBoundTo(plain: string, purpose: string): string {
    const { id, key } = this.current;
    const iv = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(id, purpose));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  private decryptBoundTo(stored: string, purpose: string): string {
    const [format, id, iv, tag, body] = stored.split(':');
    if (format !== FORMAT || !id || iv === undefined || tag === undefined || body === undefined) throw new Error('Not an encrypted field value.');
    const key = this.keysById.get(id) ?? this.learnKey(id);
    if (!key) throw new Error(`No key "${id}" is configured to decrypt this value.`);
    // The whole 16-byte tag, always: a shortened one would be easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(additionalData(id, purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  encryptOptional(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined || plain === '' ? null : this.encrypt(plain);
  }

  decryptOptional(stored: string | null): string | null {
    return stored === null ? null : this.decrypt(stored);
  }

  /** The id of the key a stored value was encrypted with. */
  static keyIdOf(stored: string): string | undefined {
    return stored.split(':')[1];
  }

  /**
   * A keyed, deterministic fingerprint for equality matching without storing the value. The purpose keeps
   * an email index from matching a phone index of the same text.
   */
  blindIndex(purpose: string, normalisedValue: string): string {
    return blindIndexUnder(this.blindIndexKey, purpose, normalisedValue);
  }

  /**
   * One indexer per blind index key a stored value may be under, the current one first: the keys configured now
   * (re-read, as `rotate-keys --blind-index` may have added one while the service runs) and those this process
   * started with. Matching asks under each, so a rotation never hides a record, before, during or after it.
   */
  blindIndexers(): readonly BlindIndexer[] {
    const keys = [this.blindIndexKey, ...this.reloadedBlindIndexKeys(), ...this.material.blindIndexKeys];
    const distinct = keys.filter((key, index) => keys.findIndex((other) => other.equals(key)) === index);
    return distinct.map((key) => ({ blindIndex: (purpose: string, normalisedValue: string) => blindIndexUnder(key, purpose, normalisedValue) }));
  }

  /** The blind index of a value under every key it may be stored under (see blindIndexers). */
  blindIndexes(purpose: string, normalisedValue: string): string[] {
    return this.blindIndexers().map((indexer) => indexer.blindIndex(purpose, normalisedValue));
  }

  private reloadedBlindIndexKeys(): readonly Buffer[] {
    if (!this.reload) return [];
    try {
      return this.reload().blindIndexKeys.filter((key) => key.length === 32);
    } catch {
      return [];
    }
  }

  /** Adds keys that appeared since start-up, to decrypt with only: new values keep the key this process started with. */
  private learnKey(id: string): Buffer | undefined {
    if (!this.reload) return undefined;
    let fresh: KeyMaterial;
    try {
      fresh = this.reload();
    } catch {
      return undefined;
    }
    for (const candidate of fresh.encryptionKeys) {
      if (!this.keysById.has(candidate.id) && candidate.key.length === 32) this.keysById.set(candidate.id, candidate.key);
    }
    return this.keysById.get(id);
  }

  private get blindIndexKey(): Buffer {
    const [first] = this.material.blindIndexKeys;
    if (!first) throw new Error('No blind index key.');
    return first;
  }

  private get current(): { readonly id: string; readonly key: Buffer } {
    const first = this.material.encryptionKeys[0];
    if (!first) throw new Error('No encryption key.');
    return first;
  }
}
