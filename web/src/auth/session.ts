// The signed-in session: tokens in memory, the refresh token at most in
// sessionStorage (a reload keeps you signed in, closing the tab does not),
// silent refresh while active, sign-out after the tenant's idle time (30
// minutes until `/me` says otherwise).
import { Cognito, type Tokens } from "./cognito";

const REFRESH_KEY = "designa.refresh";
export const IDLE_MINUTES = 30;
const ACTIVITY_EVENTS = ["pointerdown", "keydown", "scroll"] as const;

export class Session {
  private tokens: Tokens | null = null;
  private lastActivity = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly cognito: Cognito,
    private idleMinutes = IDLE_MINUTES,
  ) {}

  /** The tenant's setting, once the signed-in user's tenant is known. */
  setIdleMinutes(minutes: number): void {
    if (minutes > 0) this.idleMinutes = minutes;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resumes a session of this tab after a reload, if its refresh token still works. */
  async resume(): Promise<boolean> {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    try {
      this.start(await this.cognito.refresh(refreshToken));
      return true;
    } catch {
      sessionStorage.removeItem(REFRESH_KEY);
      return false;
    }
  }

  start(tokens: Tokens): void {
    this.tokens = tokens;
    this.lastActivity = Date.now();
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
    for (const event of ACTIVITY_EVENTS) addEventListener(event, this.touch, { passive: true });
    this.timer ??= setInterval(() => void this.tick(), 20_000);
    this.notify();
  }

  /** A valid access token, for the user's own Cognito calls. */
  async accessToken(): Promise<string | null> {
    if (!(await this.idToken())) return null;
    return this.tokens?.accessToken ?? null;
  }

  /** A valid ID token, refreshed when it is about to expire. */
  async idToken(): Promise<string | null> {
    if (!this.tokens) return null;
    if (this.tokens.expiresAt - Date.now() < 60_000) await this.refresh();
    return this.tokens?.idToken ?? null;
  }

  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.tokens = null;
    sessionStorage.removeItem(REFRESH_KEY);
    for (const event of ACTIVITY_EVENTS) removeEventListener(event, this.touch);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.notify();
    if (refreshToken) await this.cognito.revoke(refreshToken);
  }

  private touch = (): void => {
    this.lastActivity = Date.now();
  };

  private async tick(): Promise<void> {
    if (!this.tokens) return;
    if (Date.now() - this.lastActivity > this.idleMinutes * 60_000) {
      await this.signOut();
    } else if (this.tokens.expiresAt - Date.now() < 120_000) {
      await this.refresh();
    }
  }

  private async refresh(): Promise<void> {
    if (!this.tokens) return;
    try {
      this.tokens = await this.cognito.refresh(this.tokens.refreshToken);
    } catch {
      await this.signOut();
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
