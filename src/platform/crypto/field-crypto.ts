import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';

export interface KeyMaterial {
  /** Encryption keys by id; the first one listed encrypts new values, every one decrypts. */
  readonly encryptionKeys: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;
  readonly blindIndexKey: Buffer;
}

const FORMAT = 'e1';

/** AES-256-GCM for identifying fields, with the key id stored beside each value so keys can rotate. */
export class FieldCrypto {
  private readonly keysById: Map<string, Buffer>;

  /**
   * `reload` re-reads the configured keys. It is used only when a stored value names a key this process has not
   * seen: `rotate-keys` may have added one while the service runs, and the service must keep reading.
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
    if (material.blindIndexKey.length !== 32) throw new Error('The blind index key must be 32 bytes.');
    this.keysById = new Map(material.encryptionKeys.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: string): string {
    const { id, key } = this.current;
    const iv = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  decrypt(stored: string): string {
    const [format, id, iv, tag, body] = stored.split(':');
    if (format !== FORMAT || !id || iv === undefined || tag === undefined || body === undefined) throw new Error('Not an encrypted field value.');
    const key = this.keysById.get(id) ?? this.learnKey(id);
    if (!key) throw new Error(`No key "${id}" is configured to decrypt this value.`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(id));
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
    return createHmac('sha256', this.material.blindIndexKey).update(`${purpose}\u0000${normalisedValue}`).digest('base64url');
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

  private get current(): { readonly id: string; readonly key: Buffer } {
    const first = this.material.encryptionKeys[0];
    if (!first) throw new Error('No encryption key.');
    return first;
  }
}
