// A real OpenID Connect provider (the oidc-provider package) on loopback, for the single sign-on tests.
//
// Started by tests/oidc_provider.py with its configuration in the environment:
//   OIDC_TEST_CLIENTS  JSON list of {client_id, client_secret, redirect_uris, id_token_ttl?}
//   OIDC_TEST_ACCOUNTS JSON list of {email, password, email_verified, name}
// It listens on a free port of 127.0.0.1, prints "listening <issuer>" once ready, and serves
// discovery, JWKS, authorization, token and userinfo as any provider does. Its sign-in page is a
// plain form (email and password); consent is given on the person's behalf, as a district's own
// provider does for its first-party apps.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS);
const accounts = new Map(JSON.parse(process.env.OIDC_TEST_ACCOUNTS).map((a) => [a.email, a]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, problem) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><h1>Test provider</h1>${problem ? `<p role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input type="email" name="email" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in to the test provider</button></form></body></html>`;
}

async function formBody(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const ttlFor = new Map(clients.map((c) => [c.client_id, c.id_token_ttl ?? 3600]));
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      IdToken: (ctx, token, client) => ttlFor.get(client.clientId) ?? 3600,
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name,
        }),
      };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET' && !match[2]) {
      ctx.type = 'html';
      ctx.body = loginPage(details.uid);
      return undefined;
    }
    if (ctx.method === 'POST' && match[2]) {
      const form = await formBody(ctx.req);
      const account = accounts.get(form.email);
      if (!account || account.password !== form.password) {
        ctx.type = 'html';
        ctx.body = loginPage(details.uid, 'Wrong email or password.');
        return undefined;
      }
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.email } }, {
        mergeWithLastSubmission: false,
      });
      return undefined;
    }
    return next();
  });

  server.on('request', provider.callback());
  process.stdout.write(`listening ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
