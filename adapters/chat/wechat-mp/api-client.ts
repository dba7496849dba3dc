/**
 * The few Official Account server APIs the channel calls: a stable access
 * token (cached until shortly before it expires, refreshed when WeChat
 * rejects it), customer-service text messages and template messages.
 */

export const DEFAULT_MP_API_ROOT = "https://api.weixin.qq.com";

/** errcodes meaning "this access token is not (or no longer) valid". */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** The resident has not written within 48 hours: customer-service messages are refused. */
export const WINDOW_CLOSED = 45015;

/** WeChat answered with a non-zero errcode (or not at all). */
export class MpApiError extends Error {
  override name = "MpApiError";
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat API errcode ${errcode}: ${errmsg}`);
  }
  /** True when the 48-hour customer-service window is closed for this resident. */
  get windowClosed(): boolean {
    return this.errcode === WINDOW_CLOSED;
  }
}

export interface MpApiOptions {
  appId: string;
  secret: string;
  apiRoot?: string;
  timeoutMs?: number;
  /** Refresh this long before WeChat's stated expiry, so a token is never used at its last second. */
  marginMs?: number;
  now?: () => number;
}

interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

export class MpApiClient {
  private readonly root: string;
  private readonly timeoutMs: number;
  private readonly marginMs: number;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | undefined;
  private fetching: Promise<string> | undefined;
  /** How many tokens were fetched; a cache that works keeps this at one. */
  tokenFetches = 0;

  constructor(private readonly options: MpApiOptions) {
    this.root = (options.apiRoot ?? DEFAULT_MP_API_ROOT).replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.marginMs = options.marginMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  private async post(path: string, body: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${this.root}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new MpApiError(-response.status, `HTTP ${response.status}`);
    return (await response.json()) as ApiAnswer;
  }

  /** A valid access token: the cached one, or a new one (one request at a time). */
  accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.token && this.token.expiresAt > this.now())
      return Promise.resolve(this.token.value);
    this.fetching ??= this.fetchToken(forceRefresh).finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetchToken(forceRefresh: boolean): Promise<string> {
    this.tokenFetches++;
    // The stable token does not invalidate the token other servers of the same account hold.
    const answer = await this.post("/cgi-bin/stable_token", {
      grant_type: "client_credential",
      appid: this.options.appId,
      secret: this.options.secret,
      force_refresh: forceRefresh,
    });
    if (!answer.access_token)
      throw new MpApiError(answer.errcode ?? -1, answer.errmsg ?? "no access_token");
    const lifetimeMs = (answer.expires_in ?? 7200) * 1000;
    this.token = {
      value: answer.access_token,
      expiresAt: this.now() + Math.max(lifetimeMs - this.marginMs, lifetimeMs / 2),
    };
    return answer.access_token;
  }

  /** Calls an API with the token; a rejected token is refreshed and the call made once more. */
  private async call(path: string, body: unknown): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const answer = await this.post(`${path}?access_token=${encodeURIComponent(token)}`, body);
      const code = answer.errcode ?? 0;
      if (code === 0) return;
      if (TOKEN_REJECTED.has(code) && attempt === 0) {
        if (this.token?.value === token) this.token = undefined;
        continue;
      }
      throw new MpApiError(code, answer.errmsg ?? "");
    }
  }

  /** A customer-service text message (allowed within 48 hours of the resident's last message). */
  sendText(openId: string, content: string): Promise<void> {
    return this.call("/cgi-bin/message/custom/send", {
      touser: openId,
      msgtype: "text",
      text: { content },
    });
  }

  /** A template message whose one field `field` carries the text. */
  sendTemplate(openId: string, templateId: string, field: string, text: string): Promise<void> {
    return this.call("/cgi-bin/message/template/send", {
      touser: openId,
      template_id: templateId,
      data: { [field]: { value: text } },
    });
  }
}
