import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import type { Address } from './model.js';
import { compactPostcode } from './postcodes.js';
import { listConfidentialAddresses } from './repository/records.js';

export function encryptAddress(crypto: FieldCrypto, address: Address): string {
  return crypto.encrypt(JSON.stringify(address));
}

export function decryptAddress(crypto: FieldCrypto, stored: string): Address {
  return JSON.parse(crypto.decrypt(stored)) as Address;
}

function tidy(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The last line of defence for refuge addresses: an editor could paste one into a description. Before anything
 * is published we look for the first line or the postcode of every confidential address in the text.
 * Returns true when the text repeats one.
 */
export async function repeatsConfidentialAddress(executor: Executor, crypto: FieldCrypto, text: string): Promise<boolean> {
  const tidied = ` ${tidy(text)} `;
  const compact = compactPostcode(text).replace(/[^A-Z0-9]/g, '');
  for (const row of await listConfidentialAddresses(executor)) {
    if (!row.confidential_address_enc) continue;
    const address = decryptAddress(crypto, row.confidential_address_enc);
    const line = tidy(address.address1);
    if (line.length >= 6 && tidied.includes(` ${line} `)) return true;
    const postcode = compactPostcode(address.postalCode);
    if (postcode.length >= 5 && compact.includes(postcode)) return true;
  }
  return false;
}
