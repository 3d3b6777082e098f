import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import * as client from 'openid-client';
import type { Config } from '../config.js';

/**
 * Our side of citizen login (the OpenID Connect relying party, openid-client v6): authorization-code flow with
 * PKCE, state and nonce; the ID token is validated and the claims are read from it and from userinfo.
 *
 * The provider is either external (the national SSO / VNeID: OIDC_ISSUER, found by discovery) or the embedded
 * demo provider of auth/oidc-provider.ts, which this process serves under /oidc.
 */

export const CITIZEN_LOGIN_PATH = '/api/auth/citizen/login';
export const CITIZEN_CALLBACK_PATH = '/api/auth/citizen/callback';
/** The short-lived cookie holding state, nonce, PKCE verifier and returnTo between login and callback. */
export const STATE_COOKIE = 'tinhso_oidc';
export const STATE_COOKIE_PATH = '/api/auth/citizen';
export const STATE_TTL_SECONDS = 600;

/** What the relying party needs to know about the identity provider. */
export interface IdentityProvider {
  kind: 'external' | 'embedded';
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Extra authorization request parameters (acr_values, prompt). */
  authParams: Record<string, string>;
  /** Known metadata (embedded provider); absent: discovery at `issuer`. */
  metadata?: client.ServerMetadata;
  /** Back-channel requests (token, userinfo, JWKS) go through this instead of the network when set. */
  fetch?: client.CustomFetch;
  /** Accept http:// endpoints (embedded provider on an http public URL; an external provider on loopback). */
  allowHttp: boolean;
}

/** The identity asserted by the provider, checked and normalised. */
export interface CitizenClaims {
  subject: string;
  personalId: string;
  name: string | null;
  birthdate: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * Key material kept in the `oidc_keys` table (migration 0002): created once, by whichever node starts first
 * (INSERT … ON CONFLICT DO NOTHING, then read back so every node uses the winning row).
 */
export async function storedKey<T>(
  database: Database,
  name: string,
  create: () => T | Promise<T>,
): Promise<T> {
  const read = async () =>
    (await database.pool.query<{ material: T }>('SELECT material FROM oidc_keys WHERE name = $1', [name]))
      .rows[0]?.material;
  const existing = await read();
  if (existing !== undefined) return existing;
  await database.pool.query(
    'INSERT INTO oidc_keys (name, material) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, JSON.stringify(await create())],
  );
  const created = await read();
  if (created === undefined) throw new Error(`oidc_keys: ${name} missing after insert`);
  return created;
}

export const newSecret = () => ({ secret: randomBytes(32).toString('base64url') });

const stateInvalid = (reason: 'missing' | 'tampered' | 'expired' | 'mismatch') =>
  new DomainError(
    'OIDC_STATE_INVALID',
    'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.',
    'The login attempt expired or is invalid. Please log in again.',
    { reason },
  );

const loginFailed = (details: Record<string, unknown>) =>
  new DomainError(
    'OIDC_LOGIN_FAILED',
    'Không đăng nhập được qua nhà cung cấp định danh. Vui lòng thử lại.',
    'Login through the identity provider failed. Please try again.',
    details,
  );

/**
 * Only same-origin relative paths: "/x?y#z", never "//host", "/\\host", a scheme, or control characters.
 * Anything else becomes "/".
 */
export function safeReturnTo(value: unknown, publicUrl: string): string {
  if (typeof value !== 'string' || value.length > 500 || !value.startsWith('/')) return '/';
  const control = [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  if (control || value.startsWith('//') || value.includes('\\')) return '/';
  const base = new URL(publicUrl);
  let parsed: URL;
  try {
    parsed = new URL(value, base);
  } catch {
    return '/';
  }
  if (parsed.origin !== base.origin) return '/';
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // Dot segments can turn "/.//host" into "//host" (protocol-relative) once normalised.
  return path.startsWith('//') ? '/' : path;
}

interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

function readClaims(c: Record<string, unknown>, subject: string): CitizenClaims {
  const str = (v: unknown, max: number) =>
    typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null;
  const personalId = str(c['personal_id'], 20);
  if (!personalId || !/^[0-9]{12}$/.test(personalId)) {
    throw new DomainError(
      'OIDC_CLAIMS_INVALID',
      'Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ (12 chữ số); không thể đăng nhập.',
      'The identity provider did not return a valid personal ID number (12 digits); login refused.',
      { claim: 'personal_id' },
    );
  }
  const address = c['address'];
  const birthdate = str(c['birthdate'], 10);
  return {
    subject,
    personalId,
    name: str(c['name'], 200),
    birthdate: birthdate && /^\d{4}-\d{2}-\d{2}$/.test(birthdate) && birthdate >= '1900' ? birthdate : null,
    address:
      typeof address === 'object' && address !== null
        ? str((address as Record<string, unknown>)['formatted'], 500)
        : str(address, 500),
    phone: str(c['phone_number'], 30),
    email: str(c['email'], 200),
  };
}

export class CitizenOidcClient {
  readonly redirectUri: string;
  #configuration: Promise<client.Configuration> | null = null;

  constructor(
    readonly idp: IdentityProvider,
    private readonly stateKey: Buffer,
    private readonly config: Config,
  ) {
    this.redirectUri = `${config.publicUrl}${CITIZEN_CALLBACK_PATH}`;
  }

  /** The client configuration: built from known metadata, or by discovery (cached; retried after a failure). */
  configuration(): Promise<client.Configuration> {
    this.#configuration ??= this.#configure().catch((cause) => {
      this.#configuration = null;
      throw new DomainError(
        'OIDC_UNAVAILABLE',
        'Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau.',
        'The identity provider cannot be reached. Please try again later.',
        { issuer: this.idp.issuer, cause: String((cause as Error)?.message ?? cause) },
      );
    });
    return this.#configuration;
  }

  async #configure(): Promise<client.Configuration> {
    const { idp } = this;
    let configuration: client.Configuration;
    if (idp.metadata) {
      configuration = new client.Configuration(idp.metadata, idp.clientId, idp.clientSecret);
    } else {
      configuration = await client.discovery(new URL(idp.issuer), idp.clientId, idp.clientSecret, undefined, {
        ...(idp.allowHttp ? { execute: [client.allowInsecureRequests] } : {}),
        ...(idp.fetch ? { [client.customFetch]: idp.fetch } : {}),
        timeout: 10,
      });
    }
    if (idp.allowHttp) client.allowInsecureRequests(configuration);
    if (idp.fetch) configuration[client.customFetch] = idp.fetch;
    configuration.timeout = 10;
    return configuration;
  }

  /** The authorization URL to redirect to, and the value of the state cookie to set. */
  async start(returnTo: string): Promise<{ url: string; cookie: string }> {
    const configuration = await this.configuration();
    const s: LoginState = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(returnTo, this.config.publicUrl),
      exp: Math.floor(Date.now() / 1000) + STATE_TTL_SECONDS,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.idp.scope,
      state: s.state,
      nonce: s.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(s.verifier),
      code_challenge_method: 'S256',
      ...this.idp.authParams,
    });
    return { url: url.href, cookie: this.#sign(s) };
  }

  /**
   * Handles the redirect back from the provider: checks the state cookie, exchanges the code (PKCE), validates the
   * ID token (issuer, audience, signature, nonce, expiry) and reads the claims. `cancelled` when the citizen chose
   * not to log in at the provider.
   */
  async finish(
    query: URLSearchParams,
    cookie: string | undefined,
  ): Promise<{ returnTo: string } & ({ cancelled: true } | { cancelled: false; claims: CitizenClaims })> {
    const saved = this.#verify(cookie);
    const state = query.get('state');
    if (
      !state ||
      state.length !== saved.state.length ||
      !timingSafeEqual(Buffer.from(state), Buffer.from(saved.state))
    )
      throw stateInvalid('mismatch');
    const error = query.get('error');
    if (error === 'access_denied') return { returnTo: saved.returnTo, cancelled: true };
    if (error) throw loginFailed({ error, description: query.get('error_description')?.slice(0, 300) });

    const configuration = await this.configuration();
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = query.toString();
    let idClaims: Record<string, unknown>;
    let userinfo: Record<string, unknown> = {};
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      idClaims = claims;
      if (configuration.serverMetadata().userinfo_endpoint) {
        userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      }
    } catch (cause) {
      const e = cause as { code?: string; error?: string; message?: string };
      throw loginFailed({ reason: e.error ?? e.code ?? 'error', description: e.message?.slice(0, 300) });
    }
    const subject = String(idClaims['sub']);
    return {
      returnTo: saved.returnTo,
      cancelled: false,
      claims: readClaims({ ...idClaims, ...userinfo }, subject),
    };
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.stateKey).update(payload).digest();
  }

  #sign(s: LoginState): string {
    const payload = Buffer.from(JSON.stringify(s)).toString('base64url');
    return `${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  #verify(cookie: string | undefined): LoginState {
    if (!cookie) throw stateInvalid('missing');
    const [payload, mac, extra] = cookie.split('.');
    if (!payload || !mac || extra !== undefined) throw stateInvalid('tampered');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw stateInvalid('tampered');
    let s: LoginState;
    try {
      s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LoginState;
    } catch {
      throw stateInvalid('tampered');
    }
    if (typeof s.exp !== 'number' || s.exp * 1000 < Date.now()) throw stateInvalid('expired');
    return s;
  }
}

/** The external provider (national SSO / VNeID) from OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. */
export function externalProvider(config: Config): IdentityProvider {
  const issuer = config.OIDC_ISSUER!;
  const host = new URL(issuer).hostname;
  return {
    kind: 'external',
    issuer,
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    // domain.md §10: the national SSO is asked for `openid`; the claims it releases are set on its side.
    scope: 'openid',
    authParams: config.OIDC_ACR_VALUES ? { acr_values: config.OIDC_ACR_VALUES } : {},
    allowHttp: ['localhost', '127.0.0.1', '[::1]'].includes(host),
  };
}
