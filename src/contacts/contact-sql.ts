/**
 * The contacts module's SQL read model for other modules' statements: the pieces of SQL that
 * read `contacts` and `contact_inboxes` inside another module's query (the conversation views
 * and their search), so a hot read stays one statement while only this module names its
 * tables and columns (scripts/check-sql-ownership.mjs). Aliases and column expressions are the
 * caller's SQL; values are never interpolated here, only bound by the caller.
 */
export const ContactSql = {
  /** A message sender's JSON: one scalar subquery on the contact whose id is `contactId`. */
  senderJson: (contactId: string): string =>
    `(SELECT json_build_object('id', s.id, 'name', s.name, 'email', s.email,
        'phone_number', s.phone_number, 'identifier', s.identifier, 'thumbnail', coalesce(s.avatar_url, ''),
        'blocked', s.blocked, 'custom_attributes', s.custom_attributes,
        'additional_attributes', s.additional_attributes, 'type', 'contact') FROM contacts s WHERE s.id = ${contactId})`,

  /** `JOIN contacts <as>`: the contact whose id is `contactId`. */
  joinContact: (as: string, contactId: string): string =>
    `JOIN contacts ${as} ON ${as}.id = ${contactId}`,

  /** The joined contact (`joinContact`'s alias) as a conversation's meta.sender JSON. */
  conversationSenderJson: (as: string): string =>
    `json_build_object('id', ${as}.id, 'name', ${as}.name, 'email', ${as}.email, 'phone_number', ${as}.phone_number,
      'identifier', ${as}.identifier, 'thumbnail', coalesce(${as}.avatar_url, ''), 'blocked', ${as}.blocked,
      'availability_status', 'offline', 'custom_attributes', ${as}.custom_attributes,
      'additional_attributes', ${as}.additional_attributes,
      'last_activity_at', coalesce(floor(extract(epoch FROM ${as}.last_activity_at)), 0),
      'created_at', floor(extract(epoch FROM ${as}.created_at)), 'type', 'contact')`,

  /** `JOIN contact_inboxes <as>`: the contact inbox whose id is `contactInboxId`. */
  joinContactInbox: (as: string, contactInboxId: string): string =>
    `JOIN contact_inboxes ${as} ON ${as}.id = ${contactInboxId}`,

  /** The joined contact inbox's source id and HMAC flag, as `source_id, hmac_verified`. */
  contactInboxColumns: (as: string): string => `${as}.source_id, ${as}.hmac_verified`,

  /**
   * A derived table (`FROM <this> <alias>`) of the contact whose source_id is `sourceId` in the
   * inbox `inboxId`, one row or none: `id` (the contact inbox's), `link` and `contact` (the two
   * rows as JSON, which toContactInboxRef reads). The Client API resolves every request by it.
   */
  contactInboxBySource: (inboxId: string, sourceId: string): string =>
    `(SELECT ci.id, row_to_json(ci) AS link, row_to_json(c) AS contact
        FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id
       WHERE ci.inbox_id = ${inboxId} AND ci.source_id = ${sourceId})`,

  /** The custom_attributes of the contact `contactId`, as a scalar subquery. */
  customAttributesOf: (contactId: string): string =>
    `(SELECT ca.custom_attributes FROM contacts ca WHERE ca.id = ${contactId})`,

  /** True when the contact `contactId`'s name, email, phone or identifier matches `pattern` (ILIKE). */
  matches: (contactId: string, pattern: string): string =>
    `EXISTS (SELECT 1 FROM contacts q WHERE q.id = ${contactId} AND (q.name ILIKE ${pattern}
           OR q.email ILIKE ${pattern} OR q.phone_number ILIKE ${pattern} OR q.identifier ILIKE ${pattern}))`,
} as const;
