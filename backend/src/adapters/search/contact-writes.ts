import { isDeepStrictEqual } from 'node:util';
import { mergeContacts, type Contact } from '../../domain/contacts/contact.js';
import type { ContactIndexNames } from './contact-indices.js';
import { bulkItemError, contactLocation, createContactOperation, fromSource, replaceContactOperation, toSource } from './contact-search-requests.js';
import type { SearchEngine, VersionedContact } from './search-engine.js';

/** Rounds of re-reading after a conflict (another writer merged the same contact meanwhile). */
const CONFLICT_ROUNDS = 5;

export type WriteError = { type?: string; reason?: string | null };

interface Pending {
  contact: Contact;
  /** The stored version it merges into; none: the contact is inserted. */
  read?: VersionedContact | undefined;
}

/**
 * Stores each contact (unique ids), merged by the domain into what is stored: a plain `create`
 * first, since most contacts are new; those already stored (409) are read back with their
 * version, merged with mergeContacts here and written with `if_seq_no`/`if_primary_term`, so a
 * merge by another writer meanwhile is not lost but answered with 409 and merged again. A merge
 * that changes nothing (a redelivery) is not written. The engine runs no script: a plain insert
 * costs the node about what a plain bulk index does, and a merge a read and a write.
 * Returns the error of each contact that could not be stored, by id.
 */
export async function writeContacts(engine: SearchEngine, names: ContactIndexNames, contacts: readonly Contact[]): Promise<Map<string, WriteError>> {
  const failed = new Map<string, WriteError>();
  let pending: Pending[] = contacts.map((contact) => ({ contact }));
  for (let round = 0; pending.length > 0; round++) {
    const writes = pending.map(plannedWrite).filter((w) => w !== undefined);
    if (writes.length === 0) break;
    const { errors, items } = await engine.bulk(writes.flatMap((w) => (w.read ? replaceContactOperation(names, w.merged, w.read) : createContactOperation(names, w.merged))));
    const conflicts: Contact[] = [];
    writes.forEach((w, i) => {
      const error = errors ? bulkItemError(items[i]) : undefined;
      if (!error) return;
      if (Object.values(items[i] ?? {})[0]?.status === 409 && round < CONFLICT_ROUNDS) conflicts.push(w.contact);
      else failed.set(w.contact.id, error);
    });
    if (conflicts.length === 0) break;
    const read = await engine.getDocuments(conflicts.map((c) => contactLocation(names, c)));
    pending = conflicts.map((contact, i) => ({ contact, read: read[i] }));
  }
  return failed;
}

/** What to write for a pending contact, or nothing when merging it changes nothing stored. */
function plannedWrite({ contact, read }: Pending): { contact: Contact; merged: Contact; read?: VersionedContact | undefined } | undefined {
  if (!read) return { contact, merged: contact };
  const stored = fromSource(read.source);
  const merged = mergeContacts(stored, contact);
  return isDeepStrictEqual(toSource(merged), toSource(stored)) ? undefined : { contact, merged, read };
}
