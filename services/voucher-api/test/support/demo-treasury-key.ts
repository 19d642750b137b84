import { staffPasskeys } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../../src/config.ts';
import { enrolPasskey } from '../../src/passkeys/enrol-passkey.ts';
import { createRegistrationOptions } from '../../src/passkeys/registration-options.ts';
import type { DemoSigningKey, DemoTreasuryKeys } from '../../src/seed/demo-treasury-key.ts';
import { withTenant } from '../../src/tenancy/with-tenant.ts';
import { VirtualPasskey } from './virtual-passkey.ts';

/**
 * Test-only: the demo treasury officers' keys as virtual passkeys (kind 'passkey', enrolled
 * through the real WebAuthn registration), for test worlds that seed the demo on a
 * configuration refusing development keys. One key per officer, for the life of the world.
 */
export function virtualTreasuryKeys(config: Config): DemoTreasuryKeys {
  const keys = new Map<string, DemoSigningKey>();
  return (username) => {
    let key = keys.get(username);
    if (!key) {
      key = virtualKey(config);
      keys.set(username, key);
    }
    return key;
  };
}

function virtualKey(config: Config): DemoSigningKey {
  const passkey = new VirtualPasskey({
    rpId: config.webauthn.rpId,
    origin: config.webauthn.origins[0] as string,
  });
  return {
    async ensureEnrolled(deps, officer) {
      const [enrolled] = await withTenant(deps, officer, ({ db }) =>
        db
          .select({ id: staffPasskeys.id })
          .from(staffPasskeys)
          .where(and(eq(staffPasskeys.credentialId, passkey.credentialId), isNull(staffPasskeys.revokedAt))),
      );
      if (enrolled) return;
      const { options } = await createRegistrationOptions(deps, officer);
      await enrolPasskey(deps, {
        actor: officer,
        deviceName: 'Testnøgle (seed)',
        credential: { kind: 'passkey', response: passkey.register(options.challenge) },
      });
    },
    sign(digest) {
      return { ...passkey.sign(digest), credentialId: passkey.credentialId };
    },
  };
}
