import type { EntityManager } from 'typeorm';
import { typeCustomAttributes } from '../../custom-attributes/index.js';
import type { ContactValues } from '../contact.store.js';

/** `values` with custom attributes checked against the account's contact attribute definitions. */
export async function typedContactValues(
  manager: EntityManager,
  accountId: number,
  values: ContactValues,
): Promise<ContactValues> {
  if (!values.custom_attributes) return values;
  const custom = await typeCustomAttributes(
    manager,
    accountId,
    'contact_attribute',
    values.custom_attributes,
  );
  return { ...values, custom_attributes: custom };
}
