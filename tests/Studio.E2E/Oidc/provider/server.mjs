// A real OpenID Connect provider (panva/oidc-provider) on plain HTTP loopback, for Studio's sign-in tests.
//
//   node server.mjs [--port N]      (or OIDC_PORT=N; 0 or nothing = any free port)
//
// Prints exactly one line to stdout once it listens:  {"ready":true,"issuer":"http://127.0.0.1:PORT"}
// Everything else (oidc-provider's development warnings) goes to stderr.
//
// - Users sign in with the built-in development login form (any password), then the built-in consent page.
// - `studio` is the studio's confidential client (code + PKCE). It is registered as application_type "native" only so
//   that RFC 8252 loopback port flexibility applies: http://127.0.0.1:<any port>/signin-oidc is accepted, because the
//   studio under test listens on a port that is chosen after this provider starts.
// - `automation-admin` / `automation-reader` (and `automation-admin-brief`, whose tokens live 10 s) get app-only tokens (client_credentials) for the resource `urn:studio:api`
//   (or `urn:other:api`, for a token the studio must refuse):
//   JWT access tokens carrying `roles`, like Entra application roles.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port ?? process.env.OIDC_PORT ?? 0);

// Resource indicators this provider issues JWT access tokens for: the studio API, and another API whose tokens the
// studio must refuse (wrong audience).
const resourceServers = { 'urn:studio:api': 'studio.api', 'urn:other:api': 'other.api' };

const users = {
  alice: { name: 'Alice Admin', email: 'alice@example.test', roles: ['studio-admins'] },
  rob: { name: 'Rob Reader', email: 'rob@example.test', roles: ['studio-readers'] },
  dana: { name: 'Dana Scientist', email: 'dana@example.test', roles: ['studio-data-scientists'] },
  // No studio-wide role: what they may see comes from workspace membership alone.
  mia: { name: 'Mia Member', email: 'mia@example.test', roles: [] },
  sam: { name: 'Sam Member', email: 'sam@example.test', roles: [] },
  omar: { name: 'Omar Outsider', email: 'omar@example.test', roles: [] },
};

// `-brief` clients get tokens that expire 10 s after they are issued (the hub must end their connections then).
const appRoles = {
  'automation-admin': ['studio-admins'],
  'automation-admin-brief': ['studio-admins'],
  'automation-reader': ['studio-readers'],
};

const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

const server = createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    clients: [
      {
        client_id: 'studio',
        client_secret: 'studio-secret',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/signin-oidc'],
        post_logout_redirect_uris: ['http://127.0.0.1/signout-callback-oidc'],
      },
      ...Object.keys(appRoles).map((clientId) => ({
        client_id: clientId,
        client_secret: `${clientId}-secret`,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: Object.values(resourceServers).join(' '),
      })),
    ],
    // The studio reads preferred_username and roles from the ID token as Keycloak and Entra put them there.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'roles'],
      email: ['email'],
    },
    scopes: ['openid', 'profile', 'email', ...Object.values(resourceServers)],
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const user = users[sub];
      if (!user) {
        return undefined;
      }
      return { accountId: sub, claims: async () => ({ sub, preferred_username: sub, ...user }) };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // No resource unless asked for: the code flow's access token stays an opaque one for the userinfo endpoint.
        defaultResource: (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (!Object.hasOwn(resourceServers, resource)) {
            throw new errors.InvalidTarget();
          }
          const ttl = client?.clientId?.endsWith('-brief') ? 10 : 600;
          return { scope: resourceServers[resource], audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: ttl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') {
        return { roles: appRoles[token.clientId] ?? [], preferred_username: token.clientId };
      }
      if (token.accountId && users[token.accountId]) {
        return { roles: users[token.accountId].roles, preferred_username: token.accountId };
      }
      return undefined;
    },
  });
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  console.log(JSON.stringify({ ready: true, issuer }));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
